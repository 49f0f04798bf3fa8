// An exact audit of a suppression pattern: which withheld entries the released entries and the table's additive
// relations determine. Independent of how the pattern was chosen; used by the tests, and cheap enough for tables of
// a few thousand entries.

import { type ContributorTable, entryContributors, type SuppressionMark, tableLines } from './table-layout.ts';

/**
 * Entry indexes of withheld entries that are determined (uniquely solvable) from the released entries through the
 * table's lines (Σ cells = total), treating values as unbounded reals. Gaussian elimination over the withheld entries:
 * an unknown is determined iff it is a pivot whose reduced row has no free unknown.
 */
export function recoverableEntries(table: ContributorTable, marks: readonly SuppressionMark[]): number[] {
  const count = entryContributors(table).length;
  if (marks.length !== count) throw new TypeError('marks must have one entry per table entry');
  const unknowns = marks.flatMap((m, e) => (m === null ? [] : [e]));
  const column = new Map(unknowns.map((e, k) => [e, k]));
  const u = unknowns.length;
  const rows: Float64Array[] = [];
  for (const { members, total } of tableLines(table)) {
    const row = new Float64Array(u);
    let any = false;
    for (const e of members) {
      const k = column.get(e);
      if (k !== undefined) {
        row[k] = 1;
        any = true;
      }
    }
    const k = column.get(total);
    if (k !== undefined) {
      row[k] = -1;
      any = true;
    }
    if (any) rows.push(row);
  }
  // Reduced row echelon form with partial pivoting.
  const pivotRowOf = new Int32Array(u).fill(-1);
  let r = 0;
  for (let k = 0; k < u && r < rows.length; k++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i]![k]!) > Math.abs(rows[best]![k]!)) best = i;
    if (Math.abs(rows[best]![k]!) < 1e-9) continue;
    [rows[r], rows[best]] = [rows[best]!, rows[r]!];
    const pivot = rows[r]!;
    const scale = pivot[k]!;
    for (let j = 0; j < u; j++) pivot[j] = pivot[j]! / scale;
    for (let i = 0; i < rows.length; i++) {
      if (i === r) continue;
      const f = rows[i]![k]!;
      if (f === 0) continue;
      const row = rows[i]!;
      for (let j = 0; j < u; j++) row[j] = row[j]! - f * pivot[j]!;
    }
    pivotRowOf[k] = r++;
  }
  const out: number[] = [];
  for (let k = 0; k < u; k++) {
    const p = pivotRowOf[k]!;
    if (p < 0) continue;
    let free = false;
    for (let j = 0; j < u && !free; j++) free = j !== k && pivotRowOf[j] === -1 && Math.abs(rows[p]![j]!) > 1e-9;
    if (!free) out.push(unknowns[k]!);
  }
  return out;
}
