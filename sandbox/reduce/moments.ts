// Sums, means and variances per group, with the platform's contributor counts and the top-2 contributions that the
// dominance rule needs. Single passes over typed arrays.

import { type Bounds, prepareValues } from './clamp.ts';
import { checkMeasure } from './emitted.ts';
import type { Grouping } from './group-by.ts';

export interface MeasureOptions {
  /** declared bounds: values are clamped into them first (needed for DP sensitivity) */
  readonly bounds?: Bounds;
  /** the measure's name, for error messages */
  readonly name?: string;
}

export interface GroupSums {
  /** rows with a value, per group */
  readonly n: Int32Array;
  /** distinct contributors with a value, per group: the count the small-cell rule uses */
  readonly contributors: Int32Array;
  readonly sum: Float64Array;
  /** the largest and second-largest contributor's |total| in the group, and the sum of all contributors' |total| */
  readonly top1: Float64Array;
  readonly top2: Float64Array;
  readonly magnitude: Float64Array;
  /** values clamped into the bounds */
  readonly clamped: number;
  /** rows in some group whose value was missing (or infinite without bounds) */
  readonly missing: number;
}

/**
 * Per-group sums (Neumaier-compensated), counts and top-2 contributions of a measure, after clamping. A contributor's
 * contribution is the total of its rows in the group. Throws AppError VALIDATION_FAILED for a malformed column.
 */
export function sumByGroup(grouping: Grouping, values: Float64Array, options: MeasureOptions = {}): GroupSums {
  const { rows, groupOf, groupCount, contributors } = grouping;
  const prepared = prepareValues(checkMeasure(values, rows, options.name ?? 'measure'), options.bounds);
  const v = prepared.values;
  const n = new Int32Array(groupCount);
  const sum = new Float64Array(groupCount);
  const comp = new Float64Array(groupCount);
  const top1 = new Float64Array(groupCount);
  const top2 = new Float64Array(groupCount);
  const magnitude = new Float64Array(groupCount);
  let missing = 0;
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const x = v[i]!;
    if (x !== x) {
      missing++;
      continue;
    }
    n[g]!++;
    const s = sum[g]!;
    const t = s + x;
    comp[g] = comp[g]! + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
    sum[g] = t;
  }
  for (let g = 0; g < groupCount; g++) sum[g] = sum[g]! + comp[g]!;

  let counted: Int32Array;
  const { order, offsets } = contributors;
  if (!order || !offsets) {
    counted = n;
    for (let i = 0; i < rows; i++) {
      const g = groupOf[i]!;
      const x = v[i]!;
      if (g < 0 || x !== x) continue;
      addTop(g, Math.abs(x), top1, top2, magnitude);
    }
  } else {
    // Each contributor's total per group, then into the group's top two.
    counted = new Int32Array(groupCount);
    const stamp = new Int32Array(groupCount).fill(-1);
    const acc = new Float64Array(groupCount);
    const touched = new Int32Array(groupCount);
    for (let c = 0; c < contributors.count; c++) {
      let m = 0;
      for (let k = offsets[c]!, end = offsets[c + 1]!; k < end; k++) {
        const i = order[k]!;
        const g = groupOf[i]!;
        const x = v[i]!;
        if (g < 0 || x !== x) continue;
        if (stamp[g] !== c) {
          stamp[g] = c;
          acc[g] = 0;
          touched[m++] = g;
          counted[g]!++;
        }
        acc[g] = acc[g]! + x;
      }
      for (let t = 0; t < m; t++) {
        const g = touched[t]!;
        addTop(g, Math.abs(acc[g]!), top1, top2, magnitude);
      }
    }
  }
  return { n, contributors: counted, sum, top1, top2, magnitude, clamped: prepared.clamped, missing };
}

function addTop(g: number, a: number, top1: Float64Array, top2: Float64Array, magnitude: Float64Array): void {
  magnitude[g] = magnitude[g]! + a;
  if (a > top1[g]!) {
    top2[g] = top1[g]!;
    top1[g] = a;
  } else if (a > top2[g]!) top2[g] = a;
}

export interface GroupMeans extends GroupSums {
  /** NaN where a group has no value */
  readonly mean: Float64Array;
}

/** Per-group means (sum / rows with a value), with everything `sumByGroup` gives. */
export function meanByGroup(grouping: Grouping, values: Float64Array, options: MeasureOptions = {}): GroupMeans {
  const sums = sumByGroup(grouping, values, options);
  const mean = new Float64Array(grouping.groupCount);
  for (let g = 0; g < grouping.groupCount; g++) mean[g] = sums.n[g]! > 0 ? sums.sum[g]! / sums.n[g]! : NaN;
  return { ...sums, mean };
}

export interface GroupVariances extends GroupMeans {
  /** sample variance (denominator n - 1); NaN where a group has fewer than two values */
  readonly variance: Float64Array;
}

/** Per-group sample variances, two-pass (mean first, then squared deviations) so that large means lose no precision. */
export function varianceByGroup(grouping: Grouping, values: Float64Array, options: MeasureOptions = {}): GroupVariances {
  const means = meanByGroup(grouping, values, options);
  const v = prepareValues(values, options.bounds).values;
  const ss = new Float64Array(grouping.groupCount);
  const { groupOf, rows } = grouping;
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    const x = v[i]!;
    if (g < 0 || x !== x) continue;
    const d = x - means.mean[g]!;
    ss[g] = ss[g]! + d * d;
  }
  const variance = new Float64Array(grouping.groupCount);
  for (let g = 0; g < grouping.groupCount; g++) variance[g] = means.n[g]! > 1 ? ss[g]! / (means.n[g]! - 1) : NaN;
  return { ...means, variance };
}
