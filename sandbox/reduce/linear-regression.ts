// Ordinary least squares fitted by the platform on the job's emitted features: coefficients, standard errors, n, R².

import { buildDesign, designRow, refuseCollinear, type RegressionOptions } from './design.ts';
import { invalidEmission } from './emitted.ts';
import { GivensQr } from './givens-qr.ts';

export interface LinearFit {
  readonly model: 'linear';
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  readonly standardErrors: readonly number[];
  /** complete rows used */
  readonly n: number;
  /** distinct contributors among them */
  readonly contributors: number;
  readonly residualDf: number;
  /** residual standard error √(RSS / (n − p)) */
  readonly sigma: number;
  /** 1 − RSS/TSS; TSS about the mean with an intercept, about zero without (R's convention) */
  readonly rSquared: number;
  /** incomplete rows left out */
  readonly dropped: number;
}

/**
 * OLS by incremental Givens QR (one pass, O(p²) memory). Standard errors σ̂·√diag((XᵀX)⁻¹) from R⁻¹.
 * Throws AppError VALIDATION_FAILED for malformed columns, too few complete rows (n <= p), or collinear terms.
 */
export function linearRegression(features: readonly Float64Array[], y: Float64Array, options: RegressionOptions = {}): LinearFit {
  const design = buildDesign(features, y, options);
  const { p, used } = design;
  const n = used.length;
  if (n <= p) throw invalidEmission('too few complete rows to fit the model');
  const qr = new GivensQr(p);
  const row = new Float64Array(p);
  // Welford's running mean and sum of squares of y, for TSS.
  let mean = 0;
  let m2 = 0;
  let squares = 0;
  for (let k = 0; k < n; k++) {
    const i = used[k]!;
    designRow(design, i, row);
    const yi = y[i]!;
    qr.add(row, yi);
    const d = yi - mean;
    mean += d / (k + 1);
    m2 += d * (yi - mean);
    squares += yi * yi;
  }
  refuseCollinear(design, qr.dependentColumns(options.tolerance ?? 1e-10));
  const beta = qr.solve();
  const df = n - p;
  const sigma2 = qr.rss / df;
  const variances = qr.unscaledVariances();
  const tss = design.intercept ? m2 : squares;
  return {
    model: 'linear',
    terms: design.terms,
    coefficients: [...beta],
    standardErrors: [...variances].map((v) => Math.sqrt(sigma2 * v)),
    n,
    contributors: design.contributors,
    residualDf: df,
    sigma: Math.sqrt(sigma2),
    rSquared: tss > 0 ? 1 - qr.rss / tss : NaN,
    dropped: design.dropped,
  };
}
