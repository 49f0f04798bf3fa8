// Clamping of a measure to the bounds a job declared: what bounds one contributor's effect on a sum (DP sensitivity).

import { invalidEmission } from './emitted.ts';

/** Declared bounds of a measure, lo <= hi, both finite. */
export interface Bounds {
  readonly lo: number;
  readonly hi: number;
}

/** Throws AppError VALIDATION_FAILED unless lo and hi are finite and lo <= hi. */
export function checkBounds(bounds: Bounds): Bounds {
  const { lo, hi } = bounds;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw invalidEmission('declared bounds must be finite with lo <= hi');
  return bounds;
}

/** The values an aggregate works on, and what was done to get them. */
export interface PreparedValues {
  /** NaN = missing */
  readonly values: Float64Array;
  /** values moved into the bounds (infinities included) */
  readonly clamped: number;
  /** infinite values treated as missing because no bounds were declared */
  readonly nonFinite: number;
}

/**
 * A copy of `values` clamped into `bounds`; without bounds, infinities become missing (a sum with one would say
 * nothing but "someone emitted an infinity"). NaN stays missing. One pass.
 */
export function prepareValues(values: Float64Array, bounds?: Bounds): PreparedValues {
  const out = new Float64Array(values.length);
  let clamped = 0;
  let nonFinite = 0;
  if (bounds) {
    const { lo, hi } = checkBounds(bounds);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) {
        out[i] = lo;
        clamped++;
      } else if (v > hi) {
        out[i] = hi;
        clamped++;
      } else out[i] = v; // NaN fails both tests and stays NaN
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === Infinity || v === -Infinity) {
        out[i] = NaN;
        nonFinite++;
      } else out[i] = v;
    }
  }
  return { values: out, clamped, nonFinite };
}

/** `values` clamped into [lo, hi], with how many were moved. Missing (NaN) stays missing. */
export function clampValues(values: Float64Array, bounds: Bounds): { readonly values: Float64Array; readonly clamped: number } {
  const { values: out, clamped } = prepareValues(values, bounds);
  return { values: out, clamped };
}
