// Two-way tables: every combination of a row key and a column key (empty ones included), with row, column and grand
// totals, each counted by the platform. Margins make secondary suppression necessary (sandbox/disclosure).

import { distinctPerGroup } from './contributors.ts';
import type { KeyColumn } from './emitted.ts';
import { coarsen, groupBy, type GroupByOptions, type Grouping } from './group-by.ts';

/** Groupings for the cells (row-major, rows × columns) and for each margin of a two-way table. */
export interface CrossGrouping {
  readonly rowLabels: readonly (string | null)[];
  readonly columnLabels: readonly (string | null)[];
  /** rowLabels.length × columnLabels.length groups, labelled [row, column] */
  readonly cells: Grouping;
  readonly rows: Grouping;
  readonly columns: Grouping;
  /** one group, labelled [] */
  readonly all: Grouping;
}

/** Groups rows by two keys into the full product of the labels seen, plus the margins. Same options as groupBy. */
export function crossGrouping(rowKey: KeyColumn, columnKey: KeyColumn, rows: number, options: GroupByOptions = {}): CrossGrouping {
  const pairs = groupBy([rowKey, columnKey], rows, options);
  const rowIndex = new Map<string | null, number>();
  const columnSeen = new Set<string | null>();
  for (const [r, c] of pairs.labels) {
    if (!rowIndex.has(r!)) rowIndex.set(r!, rowIndex.size);
    columnSeen.add(c!);
  }
  // Columns in dictionary order (missing last), as groupBy orders keys.
  const position = new Map<string, number>();
  columnKey.dictionary.forEach((label, k) => {
    if (!position.has(label)) position.set(label, k);
  });
  const columnLabels = [...columnSeen].sort((a, b) => (a === null ? 1 : b === null ? -1 : position.get(a)! - position.get(b)!));
  const columnIndex = new Map(columnLabels.map((label, k) => [label, k]));
  const rowLabels = [...rowIndex.keys()];
  const J = columnLabels.length;
  const toCell = new Int32Array(pairs.groupCount);
  const toRow = new Int32Array(pairs.groupCount);
  const toColumn = new Int32Array(pairs.groupCount);
  pairs.labels.forEach(([r, c], g) => {
    toRow[g] = rowIndex.get(r!)!;
    toColumn[g] = columnIndex.get(c!)!;
    toCell[g] = toRow[g]! * J + toColumn[g]!;
  });
  const cellLabels: (string | null)[][] = [];
  for (const r of rowLabels) for (const c of columnLabels) cellLabels.push([r, c]);
  return {
    rowLabels,
    columnLabels,
    cells: coarsen(pairs, toCell, cellLabels),
    rows: coarsen(pairs, toRow, rowLabels.map((r) => [r])),
    columns: coarsen(pairs, toColumn, columnLabels.map((c) => [c])),
    all: coarsen(pairs, new Int32Array(pairs.groupCount), [[]]),
  };
}

/** Rows and distinct contributors of a set of groups. */
export interface Counts {
  readonly rows: Int32Array;
  readonly contributors: Int32Array;
}

/** Rows and distinct contributors per group. */
export function countByGroup(grouping: Grouping): Counts {
  const rows = new Int32Array(grouping.groupCount);
  for (let i = 0; i < grouping.rows; i++) {
    const g = grouping.groupOf[i]!;
    if (g >= 0) rows[g]!++;
  }
  return { rows, contributors: distinctPerGroup(grouping.groupOf, grouping.groupCount, grouping.contributors) };
}

export interface CrossTab {
  readonly rowLabels: readonly (string | null)[];
  readonly columnLabels: readonly (string | null)[];
  /** row-major, rows × columns */
  readonly cells: Counts;
  readonly rowTotals: Counts;
  readonly columnTotals: Counts;
  readonly total: { readonly rows: number; readonly contributors: number };
}

/**
 * A cross-tabulation of two keys, with margins. With contributor ids a margin counts each contributor once, so it can
 * be less than the sum of its cells.
 */
export function crossTab(rowKey: KeyColumn, columnKey: KeyColumn, rows: number, options: GroupByOptions = {}): CrossTab {
  const g = crossGrouping(rowKey, columnKey, rows, options);
  const all = countByGroup(g.all);
  return {
    rowLabels: g.rowLabels,
    columnLabels: g.columnLabels,
    cells: countByGroup(g.cells),
    rowTotals: countByGroup(g.rows),
    columnTotals: countByGroup(g.columns),
    total: { rows: all.rows[0]!, contributors: all.contributors[0]! },
  };
}
