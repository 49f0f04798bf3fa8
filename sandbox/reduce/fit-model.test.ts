import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { SeededRandom } from '../dp/testing.ts';
import { contributorsFromIds, contributorsFromRows } from './contributors.ts';
import { fitModel } from './fit-model.ts';
import { sketchDifference } from './population-sketch.ts';
import { keyColumn } from './testing.ts';

/** n rows: x continuous, d a 0/1 dummy with `ones` ones, y = 1 + 2x + 3d + noise; z a 0/1 label from y. */
function data(n: number, ones: number, seed = 1) {
  const seeded = new SeededRandom(seed);
  const rng = { next: () => seeded.next() / 2 ** 32 };
  const x = Float64Array.from({ length: n }, () => rng.next() * 4);
  const d = Float64Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 2 * x[i]! + 3 * d[i]! + (rng.next() - 0.5));
  const z = Float64Array.from({ length: n }, (_, i) => (y[i]! + 2 * (rng.next() - 0.5) > 5 ? 1 : 0));
  return { features: new Map([['x', x], ['d', d]]), y, z };
}

describe('fitModel', () => {
  it('fits the declared model on the named features, and reports the people off each feature\'s majority value, scales and a population sketch', () => {
    const { features, y } = data(200, 40);
    const m = fitModel({ name: 'ols', kind: 'linear' }, features, y, { dataset: 'ds', contributors: contributorsFromRows(200) });
    expect(m.fit.terms).toEqual(['(intercept)', 'x', 'd']);
    expect(m.fit.coefficients[1]).toBeCloseTo(2, 1);
    expect(m.fit.coefficients[2]).toBeCloseTo(3, 1);
    expect(m.offMode[0]).toBeNull();
    expect(m.offMode[1]).toBeGreaterThanOrEqual(199); // continuous: no majority value
    expect(m.offMode[2]).toBe(40); // the dummy's smaller category
    expect(m.scales[0]).toBe(1);
    expect(m.scales[1]).toBeGreaterThan(0.9);
    expect(m.scales[1]).toBeLessThan(1.4); // sd of U(0, 4) ≈ 1.15
    expect(m.sketch).not.toBeNull();
    const only = fitModel({ name: 'x only', kind: 'linear', features: ['x'], intercept: false }, features, y, { dataset: 'ds', contributors: contributorsFromRows(200) });
    expect(only.fit.terms).toEqual(['x']);
  });

  it('counts the small side of a feature and the population in contributors, not rows', () => {
    const { features, y } = data(200, 40);
    // two rows per person: 100 people, 20 of them with d = 1
    const ids = keyColumn(Array.from({ length: 200 }, (_, i) => `p${Math.floor(i / 2)}`));
    const m = fitModel({ name: 'ols', kind: 'linear' }, features, y, { dataset: 'ds', contributors: contributorsFromIds(ids) });
    expect(m.fit.contributors).toBe(100);
    expect(m.offMode[2]).toBe(20);
    // a value non-zero for a few people is as small a category as a dummy's
    const few = new Map([...features, ['few', Float64Array.from({ length: 200 }, (_, i) => (i < 6 ? 1000 + i : 0))]]);
    expect(fitModel({ name: 'ols', kind: 'linear' }, few, y, { dataset: 'ds', contributors: contributorsFromIds(ids) }).offMode[3]).toBe(3);
  });

  it('gives sketches whose difference is the people left out of one of two fits', () => {
    const { features, y } = data(200, 40);
    const all = fitModel({ name: 'a', kind: 'linear' }, features, y, { dataset: 'ds', contributors: contributorsFromRows(200) });
    const fewer = Float64Array.from(y, (v, i) => (i < 3 ? NaN : v)); // three people's label missing: left out
    const less = fitModel({ name: 'b', kind: 'linear' }, features, fewer, { dataset: 'ds', contributors: contributorsFromRows(200) });
    expect(less.fit.n).toBe(197);
    expect(sketchDifference(all.sketch!, less.sketch!)).toMatchObject({ size: 3 });
  });

  it('refuses a missing label, unknown features and a non-0/1 logistic label, naming the output only', () => {
    const { features, y, z } = data(100, 30);
    const fit = (spec: Parameters<typeof fitModel>[0], label: Float64Array | null) => () => fitModel(spec, features, label, { dataset: 'ds', contributors: contributorsFromRows(100) });
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return isAppError(err) ? [err.code, err.message] : ['other', String(err)];
      }
      return ['none', ''];
    };
    expect(codeOf(fit({ name: 'm', kind: 'linear' }, null))).toEqual(['VALIDATION_FAILED', 'a model output needs the job to emit a label']);
    expect(codeOf(fit({ name: 'm', kind: 'linear', features: ['x', 'nope'] }, y))[0]).toBe('VALIDATION_FAILED');
    expect(codeOf(fit({ name: 'm', kind: 'logistic' }, y))).toEqual(['VALIDATION_FAILED', 'model m: a logistic response must be 0 or 1']);
    expect(codeOf(fit({ name: 'm', kind: 'logistic' }, z))[0]).toBe('none');
  });
});
