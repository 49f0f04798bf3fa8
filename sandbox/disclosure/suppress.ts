// Small-cell suppression: withhold entries with too few contributors (primary), then enough others that no withheld
// entry can be worked out from the released entries and totals (secondary).

import { secondaryTwoWay } from './secondary-two-way.ts';
import { type ContributorTable, entryContributors, type SuppressionMark } from './table-layout.ts';

export interface SuppressionOptions {
  /** marks already decided (dominance, differencing), in entry order; kept, and protected like small cells */
  readonly primary?: readonly SuppressionMark[];
  /** withhold empty entries too (default false: nobody is in them, though "nobody in X has Y" can itself disclose) */
  readonly suppressZeros?: boolean;
}

export interface SuppressionResult {
  /** per entry, in entry order (see ContributorTable): null = released */
  readonly marks: readonly SuppressionMark[];
  readonly primary: number;
  readonly secondary: number;
}

/**
 * Primary suppression of every entry with fewer than `threshold` contributors (1..threshold-1, and 0 if asked), then
 * secondary suppression for tables with totals:
 * - one-way (cells and a total): if any cell is withheld, at least two are, holding at least `threshold`
 *   contributors together (else the total minus the released cells would give them away); failing that, the total;
 * - two-way (cells, row, column and grand totals): no withheld entry is on no cycle of withheld entries (the exact
 *   condition for being determined by the linear relations), which implies every row and column with one withheld
 *   entry has at least two; and every line with a released total withholds at least `threshold` contributors.
 * Flat tables have no relations among entries: nothing more to do.
 * Pure. Throws TypeError for a threshold below 1 or marks of the wrong length.
 */
export function suppressSmallCells(table: ContributorTable, threshold: number, options: SuppressionOptions = {}): SuppressionResult {
  if (!Number.isInteger(threshold) || threshold < 1) throw new TypeError('threshold must be a positive integer');
  const contributors = entryContributors(table);
  const marks: SuppressionMark[] = options.primary ? [...options.primary] : contributors.map(() => null);
  if (marks.length !== contributors.length) throw new TypeError('primary marks must have one entry per table entry');
  const lowest = options.suppressZeros ? 0 : 1;
  contributors.forEach((n, e) => {
    if (marks[e] === null && n >= lowest && n < threshold) marks[e] = 'small_cell';
  });
  const primary = marks.filter((m) => m !== null).length;
  if (table.layout === 'one-way') secondaryOneWay(contributors, marks, threshold);
  if (table.layout === 'two-way') secondaryTwoWay(table.rows, table.columns, contributors, marks, threshold);
  return { marks, primary, secondary: marks.filter((m) => m === 'secondary').length };
}

function secondaryOneWay(contributors: readonly number[], marks: SuppressionMark[], threshold: number): void {
  const totalIndex = contributors.length - 1;
  if (marks[totalIndex] !== null) return;
  const cost = (e: number): number => (contributors[e] === 0 ? 1e13 : 0) + contributors[e]!;
  for (;;) {
    let count = 0;
    let withheld = 0;
    let best = -1;
    for (let e = 0; e < totalIndex; e++) {
      if (marks[e] !== null) {
        count++;
        withheld += contributors[e]!;
      } else if (best < 0 || cost(e) < cost(best)) best = e;
    }
    if (count === 0 || (count >= 2 && withheld >= threshold)) return;
    if (best < 0) {
      marks[totalIndex] = 'secondary';
      return;
    }
    marks[best] = 'secondary';
  }
}
