// Minimum, maximum and quantiles per group. These single out one contributor's value (or nearly), so the policies
// allow them only at low grades; the platform still computes them exactly.

import { type Bounds, prepareValues } from './clamp.ts';
import { checkMeasure, invalidEmission } from './emitted.ts';
import type { Grouping } from './group-by.ts';

export interface GroupExtremes {
  /** rows with a value */
  readonly n: Int32Array;
  /** NaN where a group has no value */
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** Per-group minimum and maximum, after clamping into `bounds` if given. */
export function minMaxByGroup(grouping: Grouping, values: Float64Array, options: { readonly bounds?: Bounds } = {}): GroupExtremes {
  const { rows, groupOf, groupCount } = grouping;
  const v = prepareValues(checkMeasure(values, rows, 'measure'), options.bounds).values;
  const n = new Int32Array(groupCount);
  const min = new Float64Array(groupCount).fill(Infinity);
  const max = new Float64Array(groupCount).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    const x = v[i]!;
    if (g < 0 || x !== x) continue;
    n[g]!++;
    if (x < min[g]!) min[g] = x;
    if (x > max[g]!) max[g] = x;
  }
  for (let g = 0; g < groupCount; g++) {
    if (n[g] === 0) {
      min[g] = NaN;
      max[g] = NaN;
    }
  }
  return { n, min, max };
}

export interface GroupQuantiles {
  readonly n: Int32Array;
  readonly probs: readonly number[];
  /** groupCount × probs.length, row-major; NaN where a group has no value */
  readonly values: Float64Array;
}

/**
 * Exact per-group quantiles, Hyndman–Fan type 7 (the default of R and NumPy): with the group's n values sorted,
 * h = (n - 1)p and q = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋]). The values are bucketed by group (counting sort, one
 * copy of the column) and each bucket sorted: O(n log n) time, 8n bytes. Throws AppError VALIDATION_FAILED for
 * probabilities outside [0, 1] or a malformed column.
 */
export function quantilesByGroup(grouping: Grouping, values: Float64Array, probs: readonly number[], options: { readonly bounds?: Bounds } = {}): GroupQuantiles {
  for (const p of probs) if (!(p >= 0 && p <= 1)) throw invalidEmission('quantile probabilities must be from 0 to 1');
  const { rows, groupOf, groupCount } = grouping;
  const v = prepareValues(checkMeasure(values, rows, 'measure'), options.bounds).values;
  const n = new Int32Array(groupCount);
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    if (g >= 0 && v[i] === v[i]) n[g]!++;
  }
  const start = new Int32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) start[g + 1] = start[g]! + n[g]!;
  const next = start.slice(0, groupCount);
  const bucket = new Float64Array(start[groupCount]!);
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    const x = v[i]!;
    if (g >= 0 && x === x) bucket[next[g]!++] = x;
  }
  const out = new Float64Array(groupCount * probs.length).fill(NaN);
  for (let g = 0; g < groupCount; g++) {
    const count = n[g]!;
    if (count === 0) continue;
    const sorted = bucket.subarray(start[g]!, start[g + 1]!).sort();
    probs.forEach((p, j) => {
      const h = (count - 1) * p;
      const lo = Math.floor(h);
      const a = sorted[lo]!;
      const b = sorted[Math.min(lo + 1, count - 1)]!;
      out[g * probs.length + j] = a + (h - lo) * (b - a);
    });
  }
  return { n, probs, values: out };
}
