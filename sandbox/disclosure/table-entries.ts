// Aggregate tables as disclosure control sees them: entries in a fixed order, and groups of tables that must share
// one suppression pattern.

import type { AggregateTable, TableCell, TableLayout } from '../reduce/index.ts';
import type { ContributorTable } from './table-layout.ts';

/** A table's entries in entry order: the cells, then (one-way) the total, or (two-way) row, column and grand totals. */
export function tableEntries(table: AggregateTable): TableCell[] {
  const t = table.totals;
  if (!t || table.layout === 'flat') return [...table.cells];
  if (table.layout === 'one-way') return [...table.cells, t.all];
  return [...table.cells, ...(t.rows ?? []), ...(t.columns ?? []), t.all];
}

const RANK: Record<TableLayout, number> = { flat: 0, 'one-way': 1, 'two-way': 2 };

/**
 * Tables of the same dimensions, over the same groups: released together they must withhold the same cells (a mean
 * beside a sum gives the count; a count beside a suppressed sum says how many people it hides). Tables whose dimensions
 * share names but not cells (a key and a binned measure of the same name) are separate groups.
 */
export interface PatternGroup {
  readonly tables: readonly number[];
  /** the table with the richest layout: its entries are the group's */
  readonly shape: AggregateTable;
}

/** Groups tables by dimensions and cells (tables built from one grouping have the same cells, in the same order). */
export function patternGroups(tables: readonly AggregateTable[]): PatternGroup[] {
  const groups = new Map<string, number[]>();
  tables.forEach((t, k) => {
    const key = JSON.stringify([t.dims, t.cells.map((c) => c.labels)]);
    groups.set(key, [...(groups.get(key) ?? []), k]);
  });
  return [...groups.values()].map((members) => {
    const shape = members.map((k) => tables[k]!).reduce((a, b) => (RANK[b.layout] > RANK[a.layout] ? b : a));
    return { tables: members, shape };
  });
}

/** The contributor table of a group: per entry the fewest contributors any of its tables has there. */
export function groupContributors(group: PatternGroup, tables: readonly AggregateTable[]): ContributorTable {
  const count = tableEntries(group.shape).length;
  const least = new Array<number>(count).fill(Infinity);
  for (const k of group.tables) {
    tableEntries(tables[k]!).forEach((cell, e) => {
      least[e] = Math.min(least[e]!, cell.contributors);
    });
  }
  const shape = group.shape;
  const cells = least.slice(0, shape.cells.length);
  if (shape.layout === 'flat') return { layout: 'flat', cells };
  if (shape.layout === 'one-way') return { layout: 'one-way', cells, total: least[count - 1]! };
  const I = shape.rowLabels!.length;
  const J = shape.columnLabels!.length;
  return {
    layout: 'two-way',
    rows: I,
    columns: J,
    cells,
    rowTotals: least.slice(I * J, I * J + I),
    columnTotals: least.slice(I * J + I, I * J + I + J),
    total: least[count - 1]!,
  };
}
