// Differential-privacy mechanisms the platform adds to released values: the discrete Laplace (pure ε-DP) and the
// discrete Gaussian ((ε, δ)-DP through zero-concentrated DP), both on a grid, sampled exactly (samplers.ts).
//
// Counts are integers: noise is added as is. A real value (a sum) is first rounded to a grid of spacing γ, a power of
// two about 1/1024 of the sensitivity, and the noise is drawn in grid units: the output is k·γ exactly, so its
// distribution has none of the floating-point artefacts that make textbook Laplace unsafe (Mironov 2012). Rounding to
// the grid can move a value by up to one unit, so the sensitivity in grid units gets that slack added.

import { rhoFromEpsilon } from './accountant.ts';
import { cryptoRandom, type RandomSource } from './random.ts';
import { discreteGaussian, discreteLaplace } from './samplers.ts';

export interface NoiseBase {
  /** how much one contributor can change the noised values: L1 for Laplace, L2 for Gaussian; >= 0 */
  readonly sensitivity: number;
  /** the values are integers (counts): no grid rounding */
  readonly integer: boolean;
  /** how many values one contributor can change (for the grid slack); default 1 */
  readonly cellsTouched?: number;
}

export interface NoiseParams extends NoiseBase {
  /** ε of this mechanism */
  readonly epsilon: number;
}

export interface GaussianParams extends NoiseParams {
  /** δ of this mechanism, 0 < δ < 1 */
  readonly delta: number;
}

/** A mechanism prepared once for many values. */
export interface Noiser {
  /** grid spacing of the outputs (1 for integers) */
  readonly granularity: number;
  /** standard deviation of the noise, in value units (for reports and tests) */
  readonly sd: number;
  /** the value plus noise; throws TypeError for a non-finite value or one too large for the grid */
  add(value: number, rng?: RandomSource): number;
}

const EPS_DEN = 1_000_000_000n;

/** ε as a rational rounded down (a smaller ε means more noise: the safe side). Throws TypeError below 1e-9. */
function epsilonRational(epsilon: number): bigint {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new TypeError('epsilon must be a positive finite number');
  const num = BigInt(Math.floor(epsilon * 1e9));
  if (num < 1n) throw new TypeError('epsilon must be at least 1e-9');
  return num;
}

function checkParams(p: NoiseBase): { granularity: number; touched: number } {
  if (!(p.sensitivity >= 0) || !Number.isFinite(p.sensitivity)) throw new TypeError('sensitivity must be a non-negative finite number');
  const touched = p.cellsTouched ?? 1;
  if (!Number.isInteger(touched) || touched < 1) throw new TypeError('cellsTouched must be a positive integer');
  if (p.integer) return { granularity: 1, touched };
  return { granularity: p.sensitivity > 0 ? 2 ** Math.floor(Math.log2(p.sensitivity / 1024)) : 1, touched };
}

function onGrid(value: number, granularity: number): bigint {
  if (!Number.isFinite(value)) throw new TypeError('only finite values can be noised');
  const units = Math.round(value / granularity);
  if (Math.abs(units) >= 2 ** 53) throw new TypeError('value too large for the noise grid');
  return BigInt(units);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The discrete Laplace mechanism: noise with P(z) ∝ exp(−ε|z|/Δ) in grid units. ε-DP for L1 sensitivity Δ. */
export function laplaceNoiser(p: NoiseParams): Noiser {
  const { granularity, touched } = checkParams(p);
  const epsNum = epsilonRational(p.epsilon);
  if (p.sensitivity === 0) return { granularity, sd: 0, add: (v) => Number(onGrid(v, granularity)) * granularity };
  const delta = BigInt(p.integer ? Math.ceil(p.sensitivity) : Math.ceil(p.sensitivity / granularity + touched));
  // scale Δ/ε = Δ·10⁹/εnum = t/s
  let s = epsNum;
  let t = delta * EPS_DEN;
  const g = gcd(s, t);
  s /= g;
  t /= g;
  const q = Math.exp(-Number(s) / Number(t));
  const sd = (Math.sqrt(2 * q) / (1 - q)) * granularity;
  return {
    granularity,
    sd,
    add: (value, rng = cryptoRandom) => Number(onGrid(value, granularity) + discreteLaplace(s, t, rng)) * granularity,
  };
}

/** The discrete Gaussian for a ρ given directly (zCDP accounting). */
export interface RhoGaussianParams extends NoiseBase {
  /** ρ of this mechanism, > 0 */
  readonly rho: number;
}

/**
 * The discrete Gaussian mechanism for (ε, δ): the ρ that gives (ε, δ)-DP (accountant.ts), then gaussianNoiserRho.
 */
export function gaussianNoiser(p: GaussianParams): Noiser {
  return gaussianNoiserRho({ sensitivity: p.sensitivity, integer: p.integer, ...(p.cellsTouched ? { cellsTouched: p.cellsTouched } : {}), rho: rhoFromEpsilon(p.epsilon, p.delta) });
}

/**
 * The discrete Gaussian mechanism: σ² = Δ²/(2ρ) in grid units gives ρ-zCDP for L2 sensitivity Δ (CKS 2020,
 * Theorem 14). σ² is rounded up to a rational (more noise, never less). Throws TypeError for ρ not positive.
 */
export function gaussianNoiserRho(p: RhoGaussianParams): Noiser {
  const { granularity, touched } = checkParams(p);
  if (!(p.rho > 0) || !Number.isFinite(p.rho)) throw new TypeError('rho must be a positive finite number');
  if (p.sensitivity === 0) return { granularity, sd: 0, add: (v) => Number(onGrid(v, granularity)) * granularity };
  const delta2 = p.integer ? p.sensitivity : p.sensitivity / granularity + Math.sqrt(touched);
  const sigma2 = ((delta2 * delta2) / (2 * p.rho)) * (1 + 1e-12);
  const den = 1n << 20n;
  const num = BigInt(Math.ceil(sigma2 * 2 ** 20));
  return {
    granularity,
    sd: Math.sqrt(sigma2) * granularity,
    add: (value, rng = cryptoRandom) => Number(onGrid(value, granularity) + discreteGaussian(num, den, rng)) * granularity,
  };
}

/** One value through the discrete Laplace mechanism. */
export function laplaceMechanism(value: number, p: NoiseParams, rng: RandomSource = cryptoRandom): number {
  return laplaceNoiser(p).add(value, rng);
}

/** One value through the discrete Gaussian mechanism. */
export function gaussianMechanism(value: number, p: GaussianParams, rng: RandomSource = cryptoRandom): number {
  return gaussianNoiser(p).add(value, rng);
}
