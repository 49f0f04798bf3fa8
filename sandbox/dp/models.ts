// Differentially private regression. Linear: noisy sufficient statistics (Vu & Slavković 2009; "SSP" in Wang 2018)
// of the rows scaled by declared bounds into [−1, 1], solved with a small ridge. Logistic: a fixed number of noisy
// Newton steps (each a noisy gradient and a noisy Hessian, as in DP-IRLS), so the cost is known before any data is
// read. Standard errors combine the sampling error with the DP noise; every figure is post-processing of noisy sums.

import type { Noiser } from './mechanisms.ts';
import { gaussianNoiserRho } from './mechanisms.ts';
import { gaussianSource, Z95 } from './intervals.ts';
import { choleskyInverse, choleskySolve, ridgeCholesky } from './linear-algebra.ts';
import { cryptoRandom, type RandomSource } from './random.ts';

export interface Bounds {
  readonly lo: number;
  readonly hi: number;
}

export interface DpModelInput {
  readonly kind: 'linear' | 'logistic';
  readonly names: readonly string[];
  /** complete rows only (every feature and the label finite), at most `rowsPerContributor` per contributor */
  readonly features: readonly Float64Array[];
  readonly label: Float64Array;
  readonly intercept: boolean;
  /** per feature: values are clamped into them (the DP sensitivity comes from them, not from the data) */
  readonly featureBounds: readonly Bounds[];
  /** linear models: the label's bounds */
  readonly labelBounds?: Bounds;
  readonly rowsPerContributor: number;
}

export interface DpModelFit {
  readonly model: 'linear' | 'logistic';
  readonly terms: readonly string[];
  readonly coefficients: readonly number[];
  readonly standardErrors: readonly number[];
  /** 95 % intervals: coefficient ± 1.96 × standard error (sampling and DP noise) */
  readonly intervals: readonly (readonly [number, number])[];
  /** noisy number of rows, and the sd of its noise */
  readonly n: number;
  readonly nSd: number;
  /** linear: residual standard deviation and R², both from noisy sums */
  readonly sigma?: number;
  readonly rSquared?: number;
  /** logistic: noisy rows with label 0 and 1 (each with noise sd classRowsSd), the Newton steps taken, whether the last one was small */
  readonly classRows?: readonly [number, number];
  readonly classRowsSd?: number;
  readonly iterations?: number;
  readonly converged?: boolean;
  readonly rho: number;
}

export const INTERCEPT_TERM = '(intercept)';
/** Newton steps of a DP logistic fit: fixed, so that ρ is split before anything is read. */
export const LOGISTIC_STEPS = 4;

/**
 * Fits a DP model under ρ. Returns null when the noisy Gram matrix cannot be made positive definite (too few rows for
 * the noise: the job learns only that the model was not released). Throws TypeError for malformed input.
 */
export function fitDpModel(input: DpModelInput, rho: number, rng: RandomSource = cryptoRandom): DpModelFit | null {
  const p = input.names.length;
  if (input.features.length !== p || input.featureBounds.length !== p) throw new TypeError('one column and one bounds per feature');
  if (!(rho > 0)) throw new TypeError('rho must be positive');
  const rows = input.label.length;
  for (const f of input.features) if (f.length !== rows) throw new TypeError('features and label differ in length');
  // scaled design: u = (1, z_1 … z_p), each z in [−1, 1]
  const scale = input.featureBounds.map((b) => ({ mid: (b.lo + b.hi) / 2, half: Math.max((b.hi - b.lo) / 2, 1e-12), lo: b.lo, hi: b.hi }));
  const d = p + 1;
  const u = (i: number, out: Float64Array): Float64Array => {
    out[0] = 1;
    for (let j = 0; j < p; j++) {
      const s = scale[j]!;
      const x = Math.min(s.hi, Math.max(s.lo, input.features[j]![i]!));
      out[j + 1] = (x - s.mid) / s.half;
    }
    return out;
  };
  return input.kind === 'linear' ? linear(input, rho, rng, d, u, scale) : logistic(input, rho, rng, d, u, scale);
}

type Scale = { mid: number; half: number; lo: number; hi: number };

/** Adds symmetric noise to the upper triangle of a d×d matrix (one draw per distinct entry). */
function noisySymmetric(m: Float64Array, d: number, noiser: Noiser, rng: RandomSource): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = noiser.add(m[i * d + j]!, rng);
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}

function linear(input: DpModelInput, rho: number, rng: RandomSource, d: number, u: (i: number, out: Float64Array) => Float64Array, scale: Scale[]): DpModelFit | null {
  const yb = input.labelBounds;
  if (!yb) throw new TypeError('a linear DP model needs label bounds');
  const ym = (yb.lo + yb.hi) / 2;
  const yh = Math.max((yb.hi - yb.lo) / 2, 1e-12);
  const D = d + 1; // (1, z, y')
  const m = new Float64Array(D * D);
  const row = new Float64Array(D);
  const ud = new Float64Array(d);
  for (let i = 0; i < input.label.length; i++) {
    u(i, ud);
    row.set(ud);
    row[d] = (Math.min(yb.hi, Math.max(yb.lo, input.label[i]!)) - ym) / yh;
    for (let a = 0; a < D; a++) for (let b = a; b < D; b++) m[a * D + b] = m[a * D + b]! + row[a]! * row[b]!;
  }
  // ‖vec(uuᵀ)‖ ≤ ‖u‖² ≤ D for one row, k rows per contributor
  const k = input.rowsPerContributor;
  const noiser = gaussianNoiserRho({ sensitivity: k * D, rho, integer: false, cellsTouched: (D * (D + 1)) / 2 });
  const M = noisySymmetric(m, D, noiser, rng);
  const n = M[0]!;
  const solve = (mm: Float64Array) => {
    const { A, b } = system(mm, D, d, input.intercept);
    const f = ridgeCholesky(A, A.length ** 0.5, 2 * noiser.sd * Math.sqrt(d));
    if (!f) return null;
    return { beta: choleskySolve(f.l, Math.sqrt(A.length), b), l: f.l, A, b };
  };
  const fit = solve(M);
  if (!fit || !(n > d + 1)) return null;
  const q = Math.sqrt(fit.A.length);
  // residual sum of squares in scaled units from the noisy sums: y'y − 2βᵀb + βᵀAβ
  let rss = M[d * D + d]!;
  for (let a = 0; a < q; a++) {
    rss -= 2 * fit.beta[a]! * fit.b[a]!;
    for (let c = 0; c < q; c++) rss += fit.beta[a]! * fit.A[a * q + c]! * fit.beta[c]!;
  }
  const df = Math.max(1, n - q);
  const s2 = Math.max(rss, 1e-12) / df;
  const inv = choleskyInverse(fit.l, q);
  // the DP noise's share of the estimates' variance: refit on the released sums with fresh noise of the same scale
  const normal = gaussianSource(7);
  const draws: Float64Array[] = [];
  for (let t = 0; t < 100; t++) {
    const again = Float64Array.from(M);
    for (let a = 0; a < D; a++) for (let c = a; c < D; c++) {
      const e = noiser.sd * normal();
      again[a * D + c] = again[a * D + c]! + e;
      if (c !== a) again[c * D + a] = again[c * D + a]! + e;
    }
    const refit = solve(again);
    if (refit) draws.push(refit.beta);
  }
  const dpCov = covariance(draws, q);
  const cov = Float64Array.from(inv, (v, e) => s2 * v + dpCov[e]!);
  const ybar = M[d]! / n;
  const sst = M[d * D + d]! - n * ybar * ybar;
  const terms = input.intercept ? [INTERCEPT_TERM, ...input.names] : [...input.names];
  const { coefficients, variances: v } = toOriginalScale(fit.beta, cov, scale, input.intercept, { mid: ym, half: yh });
  // from noisy sums the residual sum of squares can come out at or below zero: then σ and R² would be made up (0 and
  // 1), so neither is given (NaN, null in JSON)
  const swamped = !(rss > 0);
  return finish(input, terms, coefficients, v, n, rho, { nSd: noiser.sd, sigma: swamped ? NaN : yh * Math.sqrt(s2), rSquared: swamped || !(sst > 0) ? NaN : Math.min(1, Math.max(0, 1 - rss / sst)) });
}

/** The normal equations of the chosen terms from the noisy sums (the intercept row dropped without an intercept). */
function system(M: Float64Array, D: number, d: number, intercept: boolean): { A: Float64Array; b: Float64Array } {
  const idx = intercept ? Array.from({ length: d }, (_, a) => a) : Array.from({ length: d - 1 }, (_, a) => a + 1);
  const q = idx.length;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  idx.forEach((ia, a) => {
    b[a] = M[ia * D + d]!;
    idx.forEach((ic, c) => (A[a * q + c] = M[ia * D + ic]!));
  });
  return { A, b };
}

function logistic(input: DpModelInput, rho: number, rng: RandomSource, d: number, u: (i: number, out: Float64Array) => Float64Array, scale: Scale[]): DpModelFit | null {
  const k = input.rowsPerContributor;
  const T = LOGISTIC_STEPS;
  const y = input.label;
  // ρ: a tenth for the class counts (rows, and rows with label 1), which also start the fit at the intercept-only
  // estimate; the rest for T steps of a noisy gradient and a noisy Hessian
  const countNoiser = gaussianNoiserRho({ sensitivity: k * Math.SQRT2, rho: rho / 10, integer: true });
  let ones = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) ones++;
  const N = countNoiser.add(y.length, rng);
  const N1 = countNoiser.add(ones, rng);
  const share = (rho * 0.9) / (2 * T);
  const idx = input.intercept ? Array.from({ length: d }, (_, a) => a) : Array.from({ length: d - 1 }, (_, a) => a + 1);
  const q = idx.length;
  const gNoiser = gaussianNoiserRho({ sensitivity: k * Math.sqrt(q), rho: share, integer: false, cellsTouched: q });
  const hNoiser = gaussianNoiserRho({ sensitivity: (k * q) / 4, rho: share, integer: false, cellsTouched: (q * (q + 1)) / 2 });
  const beta = new Float64Array(q);
  if (input.intercept && N > 0) {
    const rate = Math.min(1 - 1e-3, Math.max(1e-3, N1 / N));
    beta[0] = Math.log(rate / (1 - rate));
  }
  const ud = new Float64Array(d);
  const x = new Float64Array(q);
  let last: { l: Float64Array } | null = null;
  let stepNorm = Infinity;
  for (let t = 0; t < T; t++) {
    const g = new Float64Array(q);
    const h = new Float64Array(q * q);
    for (let i = 0; i < y.length; i++) {
      u(i, ud);
      for (let a = 0; a < q; a++) x[a] = ud[idx[a]!]!;
      let eta = 0;
      for (let a = 0; a < q; a++) eta += beta[a]! * x[a]!;
      const prob = 1 / (1 + Math.exp(-eta));
      const w = prob * (1 - prob);
      const r = y[i]! - prob;
      for (let a = 0; a < q; a++) {
        g[a] = g[a]! + r * x[a]!;
        for (let c = a; c < q; c++) h[a * q + c] = h[a * q + c]! + w * x[a]! * x[c]!;
      }
    }
    const G = Float64Array.from(g, (v) => gNoiser.add(v, rng));
    const H = noisySymmetric(h, q, hNoiser, rng);
    const f = ridgeCholesky(H, q, 2 * hNoiser.sd * Math.sqrt(q));
    if (!f) return null;
    const step = choleskySolve(f.l, q, G);
    // a damped step: noise on a small Hessian must not throw the estimate to infinity
    const norm = Math.hypot(...step);
    const damp = norm > 2 ? 2 / norm : 1;
    for (let a = 0; a < q; a++) beta[a] = beta[a]! + damp * step[a]!;
    stepNorm = damp * norm;
    last = f;
  }
  if (!last || !(N > d + 1)) return null;
  const inv = choleskyInverse(last.l, q);
  // sampling variance from the (noisy) Fisher information, plus the last gradient's noise carried through the step
  const cov = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < q; c++) {
      let dp = 0;
      for (let e = 0; e < q; e++) dp += inv[a * q + e]! * inv[e * q + c]!;
      cov[a * q + c] = inv[a * q + c]! + gNoiser.sd ** 2 * dp;
    }
  }
  const terms = input.intercept ? [INTERCEPT_TERM, ...input.names] : [...input.names];
  const { coefficients, variances: v } = toOriginalScale(beta, cov, scale, input.intercept, null);
  const maxSe = Math.max(...Array.from({ length: q }, (_, a) => Math.sqrt(cov[a * q + a]!)));
  return finish(input, terms, coefficients, v, N, rho, { nSd: countNoiser.sd, classRows: [N - N1, N1], classRowsSd: countNoiser.sd * Math.SQRT2, iterations: T, converged: stepNorm < 0.1 * maxSe });
}

/** The sample covariance of the draws (q×q); NaN when fewer than two. */
function covariance(draws: readonly Float64Array[], q: number): Float64Array {
  const out = new Float64Array(q * q);
  if (draws.length < 2) return out.fill(NaN);
  const mean = Array.from({ length: q }, (_, a) => draws.reduce((s, b) => s + b[a]!, 0) / draws.length);
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < q; c++) out[a * q + c] = draws.reduce((s, b) => s + (b[a]! - mean[a]!) * (b[c]! - mean[c]!), 0) / (draws.length - 1);
  }
  return out;
}

/**
 * From the scaled model (z = (x − mid)/half, y' = (y − ym)/yh) back to the features' and label's own units:
 * θ = c + Tβ with slope_j = yh·β_j/half_j and intercept = ym + yh·(β₀ − Σ β_j mid_j/half_j); Var θ = T·Cov·Tᵀ.
 */
function toOriginalScale(beta: Float64Array, cov: Float64Array, scale: Scale[], intercept: boolean, y: { mid: number; half: number } | null) {
  const yh = y?.half ?? 1;
  const ym = y?.mid ?? 0;
  const q = beta.length;
  const offset = intercept ? 1 : 0;
  const T = new Float64Array(q * q);
  if (intercept) {
    T[0] = yh;
    for (let j = 0; j < scale.length; j++) T[j + 1] = (-yh * scale[j]!.mid) / scale[j]!.half;
  }
  for (let j = 0; j < scale.length; j++) T[(j + offset) * q + j + offset] = yh / scale[j]!.half;
  const coefficients = Array.from({ length: q }, (_, a) => {
    let v = a === 0 && intercept ? ym : 0;
    for (let c = 0; c < q; c++) v += T[a * q + c]! * beta[c]!;
    return v;
  });
  const variances = Array.from({ length: q }, (_, a) => {
    let v = 0;
    for (let c = 0; c < q; c++) for (let e = 0; e < q; e++) v += T[a * q + c]! * cov[c * q + e]! * T[a * q + e]!;
    return v;
  });
  return { coefficients, variances };
}

function finish(input: DpModelInput, terms: string[], coefficients: number[], vars: number[], n: number, rho: number, extra: Partial<DpModelFit> & { nSd: number }): DpModelFit {
  const standardErrors = vars.map((v) => Math.sqrt(Math.max(0, v)));
  return {
    model: input.kind,
    terms,
    coefficients,
    standardErrors,
    intervals: coefficients.map((b, j) => [b - Z95 * standardErrors[j]!, b + Z95 * standardErrors[j]!] as const),
    n,
    rho,
    ...extra,
  };
}
