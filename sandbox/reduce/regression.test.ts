import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { SeededRandom } from '../dp/testing.ts';
import { contributorsFromIds } from './contributors.ts';
import { linearRegression } from './linear-regression.ts';
import { logisticRegression } from './logistic-regression.ts';
import { keyColumn } from './testing.ts';

const f64 = (xs: readonly number[]): Float64Array => Float64Array.from(xs);

// NIST StRD Longley (higher difficulty): y = employment; x1..x6 = GNP deflator, GNP, unemployed, armed forces,
// population, year. Certified values from https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml
const LONGLEY = [
  [60323, 83.0, 234289, 2356, 1590, 107608, 1947],
  [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
  [60171, 88.2, 258054, 3682, 1616, 109773, 1949],
  [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
  [63221, 96.2, 328975, 2099, 3099, 112075, 1951],
  [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
  [64989, 99.0, 365385, 1870, 3547, 115094, 1953],
  [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
  [66019, 101.2, 397469, 2904, 3048, 117388, 1955],
  [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
  [68169, 108.4, 442769, 2936, 2798, 120445, 1957],
  [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
  [68655, 112.6, 482704, 3813, 2552, 123366, 1959],
  [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
  [69331, 115.7, 518173, 4806, 2572, 127852, 1961],
  [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
];
const CERTIFIED_B = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-1, -2.02022980381683, -1.03322686717359, -0.511041056535807e-1, 1829.15146461355];
const CERTIFIED_SE = [890420.383607373, 84.9149257747669, 0.334910077722432e-1, 0.488399681651699, 0.214274163161675, 0.22607320006937, 455.478499142212];

describe('linearRegression', () => {
  it('matches the closed form of simple regression', () => {
    const x = [1, 2, 3, 4, 5];
    const y = [2.1, 3.9, 6.2, 7.8, 10.1];
    const fit = linearRegression([f64(x)], f64(y), { names: ['x'] });
    const n = 5;
    const mx = 3;
    const my = y.reduce((a, b) => a + b) / n;
    const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
    const sxy = x.reduce((a, xi, i) => a + (xi - mx) * (y[i]! - my), 0);
    const b = sxy / sxx;
    const a = my - b * mx;
    const rss = x.reduce((s, xi, i) => s + (y[i]! - a - b * xi) ** 2, 0);
    const s2 = rss / (n - 2);
    expect(fit.terms).toEqual(['(intercept)', 'x']);
    expect(fit.coefficients[0]).toBeCloseTo(a, 12);
    expect(fit.coefficients[1]).toBeCloseTo(b, 12);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(s2 / sxx), 12);
    expect(fit.standardErrors[0]).toBeCloseTo(Math.sqrt(s2 * (1 / n + (mx * mx) / sxx)), 12);
    expect(fit.rSquared).toBeCloseTo(1 - rss / y.reduce((s, yi) => s + (yi - my) ** 2, 0), 12);
    expect(fit.n).toBe(5);
    expect(fit.residualDf).toBe(3);
  });

  it('reproduces NIST certified values for the ill-conditioned Longley data', () => {
    const y = f64(LONGLEY.map((r) => r[0]!));
    const xs = [1, 2, 3, 4, 5, 6].map((j) => f64(LONGLEY.map((r) => r[j]!)));
    const fit = linearRegression(xs, y);
    fit.coefficients.forEach((b, j) => expect(Math.abs(b - CERTIFIED_B[j]!) / Math.abs(CERTIFIED_B[j]!)).toBeLessThan(1e-8));
    fit.standardErrors.forEach((se, j) => expect(Math.abs(se - CERTIFIED_SE[j]!) / CERTIFIED_SE[j]!).toBeLessThan(1e-8));
    expect(fit.sigma).toBeCloseTo(304.854073561965, 6);
    expect(fit.rSquared).toBeCloseTo(0.995479004577296, 10);
  });

  it('leaves incomplete rows out and counts contributors', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'q', 'r', 's']));
    const fit = linearRegression([f64([1, 2, 3, NaN, 5])], f64([1, 2.5, 2.9, 4, 5.2]), { contributors: who });
    expect(fit.n).toBe(4);
    expect(fit.dropped).toBe(1);
    expect(fit.contributors).toBe(3);
  });

  it('refuses collinear terms, naming them', () => {
    const x1 = f64([1, 2, 3, 4, 5, 6]);
    const x2 = f64([2, 4, 6, 8, 10, 12]);
    try {
      linearRegression([x1, x2], f64([1, 3, 2, 5, 4, 6]), { names: ['a', 'b'] });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('VALIDATION_FAILED');
      expect(isAppError(err) && err.details).toEqual({ terms: ['b'] });
    }
    // a constant column is collinear with the intercept
    expect(() => linearRegression([f64([3, 3, 3, 3])], f64([1, 2, 3, 4]))).toThrow(/collinear/);
  });

  it('refuses too few rows', () => {
    expect(() => linearRegression([f64([1, 2])], f64([1, 2]))).toThrow(/too few/);
  });
});

describe('logisticRegression', () => {
  it('matches the closed form for one binary predictor (log odds ratio and Woolf standard errors)', () => {
    // x = 0: 30 with y = 1, 70 with y = 0; x = 1: 60 with y = 1, 40 with y = 0.
    const x: number[] = [];
    const y: number[] = [];
    const add = (xi: number, yi: number, k: number): void => {
      for (let i = 0; i < k; i++) {
        x.push(xi);
        y.push(yi);
      }
    };
    add(0, 1, 30);
    add(0, 0, 70);
    add(1, 1, 60);
    add(1, 0, 40);
    const fit = logisticRegression([f64(x)], f64(y), { names: ['exposed'] });
    expect(fit.converged).toBe(true);
    expect(fit.separation).toBe(false);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(30 / 70), 10);
    expect(fit.coefficients[1]).toBeCloseTo(Math.log((60 / 40) / (30 / 70)), 10);
    expect(fit.standardErrors[0]).toBeCloseTo(Math.sqrt(1 / 30 + 1 / 70), 10);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(1 / 30 + 1 / 70 + 1 / 60 + 1 / 40), 10);
    expect(fit.classContributors).toEqual([110, 90]);
    expect(fit.nullDeviance).toBeGreaterThan(fit.deviance);
  });

  it('recovers the coefficients of synthetic data within a few standard errors', () => {
    const rng = new SeededRandom(7);
    const u = (): number => (rng.next() + 0.5) / 4294967296;
    const n = 20_000;
    const truth = [-0.5, 1.2, -0.8];
    const x1 = new Float64Array(n);
    const x2 = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x1[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
      x2[i] = u() * 2 - 1;
      const eta = truth[0]! + truth[1]! * x1[i]! + truth[2]! * x2[i]!;
      y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    const fit = logisticRegression([x1, x2], y);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(10);
    truth.forEach((b, j) => expect(Math.abs(fit.coefficients[j]! - b)).toBeLessThan(4 * fit.standardErrors[j]!));
    expect(fit.standardErrors[1]).toBeLessThan(0.05);
  });

  it('reports separation instead of pretending the estimates mean something', () => {
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8]);
    const y = f64([0, 0, 0, 0, 1, 1, 1, 1]);
    const fit = logisticRegression([x], y);
    expect(fit.separation).toBe(true);
  });

  it('refuses a response other than 0 or 1', () => {
    expect(() => logisticRegression([f64([1, 2, 3, 4])], f64([0, 1, 2, 1]))).toThrow(/0 or 1/);
  });
});
