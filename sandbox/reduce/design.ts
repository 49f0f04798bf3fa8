// The design matrix of a platform-fitted model: the job's emitted feature columns (plus an intercept), complete rows only.

import { type Contributors, contributorsFromRows, distinctPerGroup } from './contributors.ts';
import { checkMeasure, invalidEmission } from './emitted.ts';

export interface RegressionOptions {
  /** feature names, for the terms of the result; default x1, x2, … */
  readonly names?: readonly string[];
  /** fit an intercept (default true) */
  readonly intercept?: boolean;
  /** who contributes to each row; default: each row is its own contributor */
  readonly contributors?: Contributors;
  /** collinearity tolerance: refuse when a column's part outside the span of the others is below this share of it (default 1e-10) */
  readonly tolerance?: number;
}

export interface Design {
  readonly terms: readonly string[];
  readonly p: number;
  /** rows used: every feature and the response present and finite, and a contributor id */
  readonly used: Int32Array;
  readonly dropped: number;
  /** distinct contributors among the rows used */
  readonly contributors: number;
  /** who contributes to each row */
  readonly source: Contributors;
  readonly intercept: boolean;
  readonly features: readonly Float64Array[];
}

export const INTERCEPT = '(intercept)';

/** Selects complete rows. Throws AppError VALIDATION_FAILED for malformed columns or names. */
export function buildDesign(features: readonly Float64Array[], y: Float64Array, options: RegressionOptions): Design {
  const rows = y.length;
  checkMeasure(y, rows, 'response');
  features.forEach((f, j) => checkMeasure(f, rows, options.names?.[j] ?? `x${j + 1}`));
  const names = options.names ?? features.map((_, j) => `x${j + 1}`);
  if (names.length !== features.length) throw invalidEmission('there must be one name per feature');
  const intercept = options.intercept ?? true;
  const terms = intercept ? [INTERCEPT, ...names] : [...names];
  if (terms.length === 0) throw invalidEmission('a model needs at least one term');
  const contributors = options.contributors ?? contributorsFromRows(rows);
  if (contributors.rows !== rows) throw invalidEmission('emitted columns and contributors differ in length');
  const mask = new Int32Array(rows);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    let ok = Number.isFinite(y[i]!) && (!contributors.of || contributors.of[i]! >= 0);
    for (let j = 0; ok && j < features.length; j++) ok = Number.isFinite(features[j]![i]!);
    mask[i] = ok ? 0 : -1;
    if (ok) count++;
  }
  const used = new Int32Array(count);
  for (let i = 0, k = 0; i < rows; i++) if (mask[i] === 0) used[k++] = i;
  return {
    terms,
    p: terms.length,
    used,
    dropped: rows - count,
    contributors: distinctPerGroup(mask, 1, contributors)[0]!,
    source: contributors,
    intercept,
    features,
  };
}

/** Writes row i of the design into `out` (length p). */
export function designRow(design: Design, i: number, out: Float64Array): void {
  let j = 0;
  if (design.intercept) out[j++] = 1;
  for (const f of design.features) out[j++] = f[i]!;
}

/** Throws AppError VALIDATION_FAILED naming the terms that are (nearly) linear combinations of earlier ones. */
export function refuseCollinear(design: Design, dependent: readonly number[]): void {
  if (dependent.length > 0) {
    throw invalidEmission('model terms are collinear: drop or combine them', { terms: dependent.map((j) => design.terms[j]) });
  }
}
