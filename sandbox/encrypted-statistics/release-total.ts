// Disclosure control of a decrypted total, before anything leaves: small-cell suppression with secondary
// suppression on the contributor counts, the same pattern on every sum, then rounding. Pure.
import { roundTo, suppressSmallCells } from '../disclosure/index.ts';
import type { ReleasedRound, ReleasedStatistic, RoundLayoutRecord } from './schema.ts';

export interface TotalRules {
  grade: string;
  minCellCount: number;
  roundingBase: number;
}

/**
 * The released table of a round from its decrypted total vector (counts per cell, then each sum per cell). The
 * counts are the contributors the small-cell rule tests; a sum is withheld wherever its cell's count is (a sum beside
 * a released count of a withheld cell would give it away, and vice versa). Totals are computed here, from all cells.
 * Throws TypeError when the vector does not fit the layout.
 */
export function releaseTotal(layout: RoundLayoutRecord, values: readonly number[], rules: TotalRules): ReleasedRound {
  const n = layout.cells.length;
  if (values.length !== n * (1 + layout.sums.length)) throw new TypeError('total vector does not fit the round layout');
  const counts = values.slice(0, n);
  const total = counts.reduce((a, b) => a + b, 0);
  const { marks, primary, secondary } = suppressSmallCells({ layout: 'one-way', cells: counts, total }, rules.minCellCount);
  const mark = (e: number) => (marks[e] === 'small_cell' || marks[e] === 'secondary' ? marks[e] : null);
  const statistic = (name: string, kind: 'count' | 'sum', cells: readonly number[]): ReleasedStatistic => ({
    name,
    kind,
    cells: cells.map((v, i) => ({ label: layout.cells[i]!, value: mark(i) ? null : roundTo(v, rules.roundingBase), withheld: mark(i) })),
    total: { value: mark(n) ? null : roundTo(cells.reduce((a, b) => a + b, 0), rules.roundingBase), withheld: mark(n) },
  });
  return {
    rules,
    statistics: [statistic('count', 'count', counts), ...layout.sums.map((name, j) => statistic(name, 'sum', values.slice(n * (j + 1), n * (j + 2))))],
    suppression: { primary, secondary },
  };
}
