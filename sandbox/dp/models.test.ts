// DP regression: estimates close to the truth at the default ε on thousands of rows, and intervals that cover it.
import { describe, expect, it } from 'vitest';
import { rhoFromEpsilon } from './accountant.ts';
import { gaussianSource } from './intervals.ts';
import { fitDpModel } from './models.ts';
import { SeededRandom } from './testing.ts';

const RHO = rhoFromEpsilon(1);

function data(n: number, seed: number, f: (x1: number, x2: number, e: number, u: number) => number) {
  const normal = gaussianSource(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = ((i * 7919) % 1000) / 100;
    x2[i] = ((i * 104729) % 1000) / 100;
    y[i] = f(x1[i]!, x2[i]!, normal(), (((i * 2654435761) >>> 0) % 100000) / 100000);
  }
  return { x1, x2, y };
}

describe('linear regression by noisy sufficient statistics', () => {
  it('covers the true coefficients with its 95 % intervals and estimates them closely', () => {
    const truth = [2, 3, -1.5];
    let covered = 0;
    let total = 0;
    for (let run = 0; run < 30; run++) {
      const { x1, x2, y } = data(8000, run + 1, (a, b, e) => 2 + 3 * a - 1.5 * b + e);
      const fit = fitDpModel(
        { kind: 'linear', names: ['x1', 'x2'], features: [x1, x2], label: y, intercept: true, featureBounds: [{ lo: 0, hi: 10 }, { lo: 0, hi: 10 }], labelBounds: { lo: -30, hi: 50 }, rowsPerContributor: 1 },
        RHO,
        new SeededRandom(run),
      )!;
      expect(fit.terms).toEqual(['(intercept)', 'x1', 'x2']);
      fit.intervals.forEach(([lo, hi], j) => {
        total++;
        if (lo <= truth[j]! && truth[j]! <= hi) covered++;
      });
      // within 5 standard errors (which include the DP noise), and the error is small in absolute terms too
      expect(Math.abs(fit.coefficients[1]! - 3)).toBeLessThan(5 * fit.standardErrors[1]!);
      expect(fit.standardErrors[1]!).toBeLessThan(0.15);
      expect(Math.abs(fit.n - 8000)).toBeLessThan(2000);
    }
    expect(covered / total).toBeGreaterThan(0.85);
  });

  it('gives no σ or R² when the noise swamps the residuals, rather than a perfect fit that is not there', () => {
    // an exact line: the true residual sum is 0, so the noisy one lands at or below 0 about half the time
    let withheld = 0;
    for (let run = 0; run < 20; run++) {
      const { x1, x2, y } = data(400, run + 1, (a, b) => 1 + a + b);
      const fit = fitDpModel({ kind: 'linear', names: ['x1', 'x2'], features: [x1, x2], label: y, intercept: true, featureBounds: [{ lo: 0, hi: 10 }, { lo: 0, hi: 10 }], labelBounds: { lo: -30, hi: 50 }, rowsPerContributor: 1 }, RHO, new SeededRandom(run));
      if (!fit) continue;
      if (Number.isNaN(fit.sigma!)) {
        withheld++;
        expect(fit.rSquared).toBeNaN();
      } else {
        expect(fit.sigma!).toBeGreaterThan(0);
        // R² is not given either when the noisy total sum of squares is at or below zero; never a perfect 1
        if (!Number.isNaN(fit.rSquared!)) expect(fit.rSquared!).toBeLessThan(1);
      }
    }
    expect(withheld).toBeGreaterThan(0);
  });

  it('declines to fit when the noise swamps the rows', () => {
    const { x1, x2, y } = data(8, 1, (a, b, e) => a + b + e);
    const fit = fitDpModel({ kind: 'linear', names: ['x1', 'x2'], features: [x1, x2], label: y, intercept: true, featureBounds: [{ lo: 0, hi: 10 }, { lo: 0, hi: 10 }], labelBounds: { lo: -30, hi: 50 }, rowsPerContributor: 1 }, RHO, new SeededRandom(1));
    expect(fit === null || fit.n < 300).toBe(true);
  });
});

describe('logistic regression by noisy Newton steps', () => {
  it('recovers the signs and sizes of the effects, with intervals that cover', () => {
    const truth = [-1, 0.5, -0.8];
    let covered = 0;
    let total = 0;
    for (let run = 0; run < 20; run++) {
      const { x1, x2, y } = data(20000, 100 + run, (a, b, _e, u) => (u < 1 / (1 + Math.exp(-(-1 + 0.5 * a - 0.8 * (b / 2)))) ? 1 : 0));
      const x2h = x2.map((v) => v / 2);
      const fit = fitDpModel({ kind: 'logistic', names: ['x1', 'x2'], features: [x1, x2h], label: y, intercept: true, featureBounds: [{ lo: 0, hi: 10 }, { lo: 0, hi: 5 }], rowsPerContributor: 1 }, RHO, new SeededRandom(run))!;
      expect(fit.coefficients[1]!).toBeGreaterThan(0.3);
      expect(fit.coefficients[2]!).toBeLessThan(-0.5);
      fit.intervals.forEach(([lo, hi], j) => {
        total++;
        if (lo <= truth[j]! && truth[j]! <= hi) covered++;
      });
      expect(fit.classRows![0] + fit.classRows![1]).toBeGreaterThan(15000);
    }
    expect(covered / total).toBeGreaterThan(0.8);
  });
});
