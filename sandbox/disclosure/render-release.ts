// The released form of a checked table: withheld values as null, and labels shown only where a released cell with
// contributors carries them — the job chose the labels, and a label seen only on a withheld cell could itself be the
// secret (a name emitted as a group key).

import type { AggregateTable, TableKind, TableLayout } from '../reduce/index.ts';

import { tableEntries } from './table-entries.ts';
import type { SuppressionMark } from './table-layout.ts';

export interface ReleasedValue {
  readonly labels: readonly (string | null)[];
  /** null when withheld or undefined */
  readonly value: number | null;
  readonly suppressed: SuppressionMark;
}

export interface ReleasedTable {
  readonly name: string;
  readonly kind: TableKind;
  readonly dims: readonly string[];
  readonly measure: string | null;
  readonly prob: number | null;
  readonly layout: TableLayout;
  readonly cells: readonly ReleasedValue[];
  /** two-dimensional tables: the labels shown (rows and columns with no released cell are left out) */
  readonly rowLabels: readonly (string | null)[] | null;
  readonly columnLabels: readonly (string | null)[] | null;
  readonly totals: { readonly all: ReleasedValue; readonly rows: readonly ReleasedValue[] | null; readonly columns: readonly ReleasedValue[] | null } | null;
  /** withheld entries left out because their labels are shown nowhere else */
  readonly omitted: number;
  /** always null: releases without DP (DP releases have their own shape, dp-tables.ts) */
  readonly noise: null;
  readonly roundedTo: number | null;
}

export interface RenderMeta {
  readonly noise: ReleasedTable['noise'];
  readonly roundedTo: number | null;
}

/** The released table from its marks and final values (both in entry order). */
export function renderTable(table: AggregateTable, marks: readonly SuppressionMark[], values: readonly number[], meta: RenderMeta): ReleasedTable {
  const entries = tableEntries(table);
  const carries = (e: number): boolean => marks[e] === null && entries[e]!.contributors > 0;
  const out = (e: number): ReleasedValue => ({
    labels: entries[e]!.labels,
    value: marks[e] !== null || Number.isNaN(values[e]!) ? null : values[e]!,
    suppressed: marks[e]!,
  });
  const base = { name: table.name, kind: table.kind, dims: table.dims, measure: table.measure, prob: table.prob, layout: table.layout, ...meta };
  const n = table.cells.length;

  if (table.rowLabels && table.columnLabels) {
    const I = table.rowLabels.length;
    const J = table.columnLabels.length;
    const hasTotals = entries.length > n;
    const rowShown = Array.from({ length: I }, (_, r) => (hasTotals && carries(n + r)) || Array.from({ length: J }, (_, c) => r * J + c).some(carries));
    const colShown = Array.from({ length: J }, (_, c) => (hasTotals && carries(n + I + c)) || Array.from({ length: I }, (_, r) => r * J + c).some(carries));
    const cells: ReleasedValue[] = [];
    for (let r = 0; r < I; r++) for (let c = 0; c < J; c++) if (rowShown[r] && colShown[c]) cells.push(out(r * J + c));
    const totals = hasTotals
      ? {
          all: out(entries.length - 1),
          rows: Array.from({ length: I }, (_, r) => r).filter((r) => rowShown[r]).map((r) => out(n + r)),
          columns: Array.from({ length: J }, (_, c) => c).filter((c) => colShown[c]).map((c) => out(n + I + c)),
        }
      : null;
    const listed = cells.length + (totals ? 1 + totals.rows.length + totals.columns.length : 0);
    return {
      ...base,
      cells,
      rowLabels: table.rowLabels.filter((_, r) => rowShown[r]),
      columnLabels: table.columnLabels.filter((_, c) => colShown[c]),
      totals,
      omitted: entries.length - listed,
    };
  }

  // Label tuples: a withheld or empty cell is listed only if each of its labels also labels a released cell with contributors.
  const shown = table.dims.map(() => new Set<string | null>());
  for (let e = 0; e < n; e++) if (carries(e)) entries[e]!.labels.forEach((l, d) => shown[d]!.add(l));
  const cells: ReleasedValue[] = [];
  for (let e = 0; e < n; e++) {
    if (carries(e) || entries[e]!.labels.every((l, d) => shown[d]!.has(l))) cells.push(out(e));
  }
  const totals = entries.length > n ? { all: out(n), rows: null, columns: null } : null;
  return { ...base, cells, rowLabels: null, columnLabels: null, totals, omitted: n - cells.length };
}
