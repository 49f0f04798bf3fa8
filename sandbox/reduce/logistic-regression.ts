// Logistic regression fitted by the platform (IRLS, i.e. Newton's method), each step a weighted least-squares solve
// by Givens QR; standard errors from the inverse Fisher information at the estimate.

import { distinctPerGroup } from './contributors.ts';
import { buildDesign, type Design, designRow, refuseCollinear, type RegressionOptions } from './design.ts';
import { invalidEmission } from './emitted.ts';
import { GivensQr } from './givens-qr.ts';

export interface LogisticOptions extends RegressionOptions {
  /** default 25, as R's glm */
  readonly maxIterations?: number;
  /** convergence: |Δdeviance| / (|deviance| + 0.1) below this (default 1e-10) */
  readonly epsilon?: number;
}

export interface LogisticFit {
  readonly model: 'logistic';
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  readonly standardErrors: readonly number[];
  readonly n: number;
  readonly contributors: number;
  /** distinct contributors with outcome 0 and with outcome 1 (a small class singles people out) */
  readonly classContributors: readonly [number, number];
  readonly residualDf: number;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** fitted probabilities numerically 0 or 1 at the estimate: (quasi-)separation, the estimates are not to be trusted */
  readonly separation: boolean;
  readonly dropped: number;
}

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function linearPredictor(design: Design, i: number, beta: Float64Array, row: Float64Array): number {
  designRow(design, i, row);
  let eta = 0;
  for (let j = 0; j < beta.length; j++) eta += row[j]! * beta[j]!;
  return eta;
}

/** −2 log-likelihood: 2 Σ softplus(η) − yη. */
function deviance(design: Design, y: Float64Array, beta: Float64Array, row: Float64Array): number {
  let dev = 0;
  for (const i of design.used) {
    const eta = linearPredictor(design, i, beta, row);
    dev += 2 * (softplus(eta) - y[i]! * eta);
  }
  return dev;
}

/** The weighted least-squares problem of one Newton step at β, and whether any fitted probability is 0 or 1. */
function irlsStep(design: Design, y: Float64Array, beta: Float64Array, row: Float64Array): { qr: GivensQr; extreme: boolean } {
  const qr = new GivensQr(design.p);
  let extreme = false;
  for (const i of design.used) {
    const eta = linearPredictor(design, i, beta, row);
    const mu = 1 / (1 + Math.exp(-eta));
    const w = mu * (1 - mu);
    if (!(w > 1e-14)) {
      // glm drops such rows from the step too: they carry no information and would divide by zero.
      extreme = true;
      continue;
    }
    qr.add(row, eta + (y[i]! - mu) / w, w);
  }
  return { qr, extreme };
}

/**
 * Fits P(y = 1) = 1 / (1 + e^(−xβ)) by IRLS from β = 0, halving a step that raises the deviance. Reports
 * non-convergence and separation instead of hiding them. Throws AppError VALIDATION_FAILED for a response other
 * than 0/1 (NaN = missing), malformed columns, too few rows, or collinear terms.
 */
export function logisticRegression(features: readonly Float64Array[], y: Float64Array, options: LogisticOptions = {}): LogisticFit {
  const design = buildDesign(features, y, options);
  const { p, used } = design;
  const n = used.length;
  for (const i of used) if (y[i] !== 0 && y[i] !== 1) throw invalidEmission('a logistic response must be 0 or 1');
  if (n <= p) throw invalidEmission('too few complete rows to fit the model');
  const maxIterations = options.maxIterations ?? 25;
  const epsilon = options.epsilon ?? 1e-10;
  const tolerance = options.tolerance ?? 1e-10;
  const row = new Float64Array(p);

  let beta: Float64Array = new Float64Array(p);
  let dev = deviance(design, y, beta, row);
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const { qr } = irlsStep(design, y, beta, row);
    refuseCollinear(design, qr.dependentColumns(tolerance));
    let next: Float64Array = qr.solve();
    let nextDev = deviance(design, y, next, row);
    for (let halvings = 0; !(nextDev <= dev * (1 + 1e-12)) && halvings < 30; halvings++) {
      const mid = new Float64Array(p);
      for (let j = 0; j < p; j++) mid[j] = (next[j]! + beta[j]!) / 2;
      next = mid;
      nextDev = deviance(design, y, next, row);
    }
    const change = Math.abs(nextDev - dev) / (Math.abs(nextDev) + 0.1);
    beta = next;
    dev = nextDev;
    if (change < epsilon) {
      converged = true;
      break;
    }
  }
  // Fisher information XᵀWX at the estimate: its inverse gives the standard errors.
  const { qr, extreme } = irlsStep(design, y, beta, row);
  const dependent = qr.dependentColumns(tolerance);
  const variances = dependent.length === 0 ? qr.unscaledVariances() : new Float64Array(p).fill(NaN);

  let positives = 0;
  const classOf = new Int32Array(y.length).fill(-1);
  for (const i of used) {
    classOf[i] = y[i]!;
    positives += y[i]!;
  }
  const classes = distinctPerGroup(classOf, 2, design.source);
  const pBar = positives / n;
  const nullDeviance = pBar === 0 || pBar === 1 ? 0 : -2 * (positives * Math.log(pBar) + (n - positives) * Math.log(1 - pBar));
  return {
    model: 'logistic',
    terms: design.terms,
    coefficients: [...beta],
    standardErrors: [...variances].map(Math.sqrt),
    n,
    contributors: design.contributors,
    classContributors: [classes[0]!, classes[1]!],
    residualDf: n - p,
    deviance: dev,
    nullDeviance,
    converged,
    iterations,
    separation: extreme || dependent.length > 0,
    dropped: design.dropped,
  };
}
