import { describe, expect, it } from 'vitest';
import { cryptoRandom } from './random.ts';
import { rhoFromEpsilon } from './accountant.ts';
import { gaussianNoiser, laplaceMechanism, laplaceNoiser } from './mechanisms.ts';
import { bernoulliExp, discreteGaussian, discreteLaplace, isqrt } from './samplers.ts';
import { SeededRandom } from './testing.ts';

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) };
}

describe('exact samplers', () => {
  it('bernoulliExp(γ) is true with probability e^(−γ), for γ below and above 1', () => {
    const rng = new SeededRandom(1);
    for (const [num, den] of [
      [1n, 3n],
      [5n, 2n],
    ] as const) {
      let hits = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) if (bernoulliExp(num, den, rng)) hits++;
      const p = Math.exp(-Number(num) / Number(den));
      expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('discreteLaplace has the variance 2q/(1 − q)² and the zero mass (1 − q)/(1 + q) of scale t/s', () => {
    const rng = new SeededRandom(2);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => Number(discreteLaplace(1n, 10n, rng)));
    const q = Math.exp(-1 / 10);
    const { mean, variance } = moments(xs);
    const expected = (2 * q) / (1 - q) ** 2;
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(expected / n));
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.06);
    const zeros = xs.filter((x) => x === 0).length / n;
    expect(Math.abs(zeros - (1 - q) / (1 + q))).toBeLessThan(0.01);
  });

  it('discreteGaussian has variance close to σ² (for σ ≥ 1) and is symmetric', () => {
    const rng = new SeededRandom(3);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => Number(discreteGaussian(25n, 1n, rng)));
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(25 / n));
    expect(Math.abs(variance / 25 - 1)).toBeLessThan(0.05);
    // P(0) ∝ 1, P(±5) ∝ e^(−1/2)
    const ratio = xs.filter((x) => Math.abs(x) === 5).length / 2 / xs.filter((x) => x === 0).length;
    expect(Math.abs(ratio - Math.exp(-0.5))).toBeLessThan(0.06);
  });

  it('isqrt is the integer square root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 30n, 10n ** 30n - 1n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
  });
});

describe('mechanisms', () => {
  it('add Laplace noise of scale Δ/ε to counts, as integers', () => {
    const rng = new SeededRandom(4);
    const noiser = laplaceNoiser({ sensitivity: 1, epsilon: 0.5, integer: true });
    const xs = Array.from({ length: 20_000 }, () => noiser.add(100, rng));
    expect(xs.every(Number.isInteger)).toBe(true);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean - 100)).toBeLessThan(0.2);
    expect(Math.abs(Math.sqrt(variance) / noiser.sd - 1)).toBeLessThan(0.05);
    expect(noiser.sd).toBeCloseTo(Math.sqrt(2) * 2, 1); // ≈ √2·Δ/ε
  });

  it('put noisy sums on a power-of-two grid, so outputs carry no floating-point trace of the true value', () => {
    const rng = new SeededRandom(5);
    const noiser = laplaceNoiser({ sensitivity: 1000, epsilon: 1, integer: false });
    expect(Number.isInteger(Math.log2(noiser.granularity))).toBe(true);
    expect(noiser.granularity).toBeLessThanOrEqual(1000 / 1024);
    const xs = Array.from({ length: 20_000 }, () => noiser.add(123456.789, rng));
    expect(xs.every((x) => Number.isInteger(x / noiser.granularity))).toBe(true);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean - 123456.789)).toBeLessThan(4 * (noiser.sd / Math.sqrt(xs.length)) + noiser.granularity);
    expect(Math.abs(Math.sqrt(variance) / noiser.sd - 1)).toBeLessThan(0.05);
    expect(noiser.sd).toBeGreaterThan(Math.SQRT2 * 1000); // never less noise than the textbook scale
  });

  it('calibrate the discrete Gaussian by zCDP: ε = ρ + 2√(ρ ln(1/δ))', () => {
    const rho = rhoFromEpsilon(1, 1e-6);
    expect(rho + 2 * Math.sqrt(rho * Math.log(1e6))).toBeCloseTo(1, 12);
    const rng = new SeededRandom(6);
    const noiser = gaussianNoiser({ sensitivity: 1, epsilon: 1, delta: 1e-6, integer: true });
    expect(noiser.sd).toBeCloseTo(Math.sqrt(1 / (2 * rho)), 6);
    const { variance } = moments(Array.from({ length: 20_000 }, () => noiser.add(0, rng)));
    expect(Math.abs(Math.sqrt(variance) / noiser.sd - 1)).toBeLessThan(0.04);
  });

  it('work with the cryptographic source', () => {
    const x = laplaceMechanism(10, { sensitivity: 1, epsilon: 1, integer: true }, cryptoRandom);
    expect(Number.isInteger(x)).toBe(true);
    expect(cryptoRandom.below(2n ** 60n)).toBeLessThan(2n ** 60n);
  });

  it('refuse ε or δ out of range', () => {
    expect(() => laplaceNoiser({ sensitivity: 1, epsilon: 0, integer: true })).toThrow(TypeError);
    expect(() => gaussianNoiser({ sensitivity: 1, epsilon: 1, delta: 0, integer: true })).toThrow(TypeError);
  });
});
