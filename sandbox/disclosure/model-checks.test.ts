// Model disclosure checks through checkRelease: what withholds a platform-fitted model, and what a released one shows.
import { describe, expect, it } from 'vitest';
import { DISCLOSURE_BY_GRADE } from '../../policies/index.ts';
import { contributorsFromRows, fitModel, type ModelSpec } from '../reduce/index.ts';
import { checkRelease } from './check-release.ts';
import { modelProblems } from './model-checks.ts';
import { SeededRandom } from '../dp/testing.ts';

const options = { jobId: 'job-1', licenseId: 'L1' };
const rules = DISCLOSURE_BY_GRADE['general-4']; // t = 10, rounding base 5, model_fit allowed

/** n people: x continuous, d a 0/1 dummy with `ones` ones, y = 1 + 2x + 3d + noise, z a 0/1 label from y. */
function emitted(n: number, ones: number, seed = 3) {
  const seeded = new SeededRandom(seed);
  const u = () => seeded.next() / 2 ** 32;
  const x = Float64Array.from({ length: n }, () => u() * 4);
  const d = Float64Array.from({ length: n }, (_, i) => (i % Math.max(1, Math.floor(n / ones)) === 0 && i / Math.floor(n / ones) < ones ? 1 : 0));
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 2 * x[i]! + 3 * d[i]! + (u() - 0.5) * 4);
  const z = Float64Array.from({ length: n }, (_, i) => (y[i]! + (u() - 0.5) * 6 > 6 ? 1 : 0));
  return { features: new Map([['x', x], ['d', d]]), y, z };
}
const fit = (spec: ModelSpec, data: ReturnType<typeof emitted>, label: 'y' | 'z' = 'y') =>
  fitModel(spec, data.features, data[label], { dataset: 'ds', contributors: contributorsFromRows(data.y.length) });

describe('model disclosure checks', () => {
  it('releases a sound fit: coefficients and standard errors to 4 significant digits, counts rounded to the base', () => {
    const model = fit({ name: 'ols', kind: 'linear' }, emitted(503, 100));
    const check = checkRelease({ tables: [], models: [model] }, rules, options);
    expect(check.outcome).toBe('release');
    const released = check.released.models[0]!;
    expect(released).toMatchObject({ name: 'ols', model: 'linear', withheld: false, n: 505, contributors: 505, residualDf: 500, roundedTo: 5, significantDigits: 4 });
    if (released.withheld) throw new Error('withheld');
    released.coefficients.forEach((b, j) => expect(b).toBe(Number(model.fit.coefficients[j]!.toPrecision(4))));
    released.standardErrors.forEach((se, j) => expect(se).toBe(Number(model.fit.standardErrors[j]!.toPrecision(4))));
    expect(released.coefficients[1]).toBeCloseTo(2, 0);
    expect('rSquared' in released && released.rSquared).toBeGreaterThan(0.5);
    expect(check.report.find((c) => c.check === 'model_checks')).toMatchObject({ outcome: 'pass', details: { withheld: 0, models: [{ name: 'ols', outcome: 'released', problems: [] }] } });
    // its population enters the differencing ledger like a released cell
    expect(check.releasedCells).toMatchObject([{ output: 'ols', labels: [], population: 503 }]);
  });

  it('withholds a model with a dummy whose category has fewer people than the threshold, naming the term', () => {
    const check = checkRelease({ tables: [], models: [fit({ name: 'ols', kind: 'linear' }, emitted(400, 6))] }, rules, options);
    expect(check.released.models[0]).toEqual({ name: 'ols', model: 'linear', withheld: true, problems: ['small_dummy_category'], smallDummies: ['d'] });
    expect(check.releasedCells).toEqual([]);
    // a continuous feature that is zero for all but a few people singles them out as well
    const data = emitted(400, 40);
    const spiky = Float64Array.from({ length: 400 }, (_, i) => (i % 50 === 1 ? 10 + i : 0)); // 8 people
    const model = fitModel({ name: 'spike', kind: 'linear' }, new Map([...data.features, ['spike', spiky]]), data.y, { dataset: 'ds', contributors: contributorsFromRows(400) });
    expect(checkRelease({ tables: [], models: [model] }, rules, options).released.models[0]).toMatchObject({ withheld: true, smallDummies: ['spike'] });
    // the same dummy with enough people on both sides passes
    expect(checkRelease({ tables: [], models: [fit({ name: 'ols', kind: 'linear' }, emitted(400, 40))] }, rules, options).released.models[0]!.withheld).toBe(false);
  });

  it('needs ten contributors per coefficient as well as the threshold', () => {
    const model = fit({ name: 'ols', kind: 'linear', features: ['x'] }, emitted(15, 1));
    expect(modelProblems(model.fit, 10, model)).toEqual(['too_few_per_coefficient']); // 15 ≥ t = 10, but < 10 × 2
    const wide = fit({ name: 'ols', kind: 'linear', features: ['x'] }, emitted(25, 1));
    expect(modelProblems(wide.fit, 10, wide)).toEqual([]);
  });

  it('withholds a separated logistic fit and one whose standard errors explode', () => {
    const n = 300;
    const x = Float64Array.from({ length: n }, (_, i) => i / n);
    const w = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 101);
    const z = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)); // x separates z perfectly
    const separated = fitModel({ name: 'logit', kind: 'logistic' }, new Map([['x', x], ['w', w]]), z, { dataset: 'ds', contributors: contributorsFromRows(n) });
    const released = checkRelease({ tables: [], models: [separated] }, rules, options).released.models[0]!;
    expect(released.withheld).toBe(true);
    if (!released.withheld) throw new Error('released');
    expect(released.problems).toEqual(expect.arrayContaining(['separation']));
    // a scale-free test on the standard errors, for fits the separation flag misses
    const exploding = { ...separated.fit, separation: false, converged: true, standardErrors: separated.fit.standardErrors.map(() => 50) };
    expect(modelProblems(exploding, 10, { scales: [1, 0.29, 0.29] })).toEqual(['unstable_estimates']);
    expect(modelProblems({ ...exploding, standardErrors: [0.5, 0.5, 0.5] }, 10, { scales: [1, 0.29, 0.29] })).toEqual([]);
  });

  it('withholds a model fitted on an earlier released population less a few people (differencing)', () => {
    const data = emitted(300, 60);
    const first = checkRelease({ tables: [], models: [fit({ name: 'all', kind: 'linear' }, data)] }, rules, options);
    expect(first.released.models[0]!.withheld).toBe(false);
    const fewer = { ...data, y: Float64Array.from(data.y, (v, i) => (i === 7 || i === 8 ? NaN : v)) }; // two people left out
    const second = checkRelease({ tables: [], models: [fit({ name: 'all but two', kind: 'linear' }, fewer)] }, rules, { ...options, jobId: 'job-2', releasedCells: first.releasedCells });
    expect(second.released.models[0]).toMatchObject({ withheld: true, problems: ['differencing'] });
    expect(second.report.find((c) => c.check === 'differencing')).toMatchObject({ outcome: 'applied', details: { models: 1, suppressed: 0 } });
    // the same population again is no difference
    const again = checkRelease({ tables: [], models: [fit({ name: 'again', kind: 'logistic' }, data, 'z')] }, rules, { ...options, jobId: 'job-3', releasedCells: first.releasedCells });
    expect(again.released.models[0]).toMatchObject({ withheld: false, model: 'logistic', converged: true });
  });
});
