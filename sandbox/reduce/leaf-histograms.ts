// Per group, how many rows fall in each of `bins` equal bins over declared bounds: what DP quantiles are built from
// (sandbox/dp quantile-tree.ts). Values are clamped into the bounds first, missing values are left out.

import type { Bounds } from './clamp.ts';
import type { Grouping } from './group-by.ts';

/** Counts, group-major: counts[g * bins + b] rows of group g in bin b. */
export interface LeafHistograms {
  readonly bins: number;
  readonly counts: Float64Array;
}

/** The bin of x in [lo, hi] cut into `bins` equal parts (the last bin is closed). */
export function binOf(x: number, bounds: Bounds, bins: number): number {
  const { lo, hi } = bounds;
  if (!(hi > lo)) return 0;
  const b = Math.floor(((x - lo) / (hi - lo)) * bins);
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/** Throws TypeError for a bin count that is not a power of two from 2 to 4096 (a platform mistake). */
export function leafHistograms(grouping: Grouping, values: Float64Array, bounds: Bounds, bins: number): LeafHistograms {
  if (!Number.isInteger(bins) || bins < 2 || bins > 4096 || (bins & (bins - 1)) !== 0) throw new TypeError('bins must be a power of two from 2 to 4096');
  const counts = new Float64Array(grouping.groupCount * bins);
  for (let i = 0; i < grouping.rows; i++) {
    const g = grouping.groupOf[i]!;
    const x = values[i]!;
    if (g < 0 || x !== x) continue;
    counts[g * bins + binOf(x < bounds.lo ? bounds.lo : x > bounds.hi ? bounds.hi : x, bounds, bins)]!++;
  }
  return { bins, counts };
}
