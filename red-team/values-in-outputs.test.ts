// Red team, families 1, 2 and 7 of the privacy issue: an operator's model puts the target's income where the platform
// carries it out — in the labels, in the measures, in a DP mean. Each attack is written as an attacker would write it,
// submitted through the operator API, and what comes back is searched for the secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRange, IS_TARGET, recordFinding, TARGET, type Range } from './range.ts';

let range: Range;
beforeAll(async () => {
  range = await createRange();
}, 120_000);
afterAll(async () => {
  await range?.close();
});

const FIELDS = [{ code: 'population', fields: ['sex', 'birth_date', 'region_code', 'annual_income'] }];
const secretIn = (x: unknown) => JSON.stringify(x).includes(String(TARGET.income));

/** The probability that a value released with Gaussian noise of this sd lands within ±w of the truth. */
const hitProbability = (sd: number, w: number) => {
  // erf via the Abramowitz–Stegun 7.1.26 bound: ample for a probability we only compare with 0.01
  const x = w / (sd * Math.SQRT2);
  const t = 1 / (1 + 0.3275911 * x);
  return 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
};

describe('family 1: labels carry values', () => {
  it('every row labelled with the target\'s value: refused as not row-local, nothing released, the operator suspended', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      let v = 'none';
      for (let i = 0; i < c.sex.codes.length; i++) if (${IS_TARGET()}) v = 'v=' + c.annual_income[i];
      return { keys: { v: Array.from(c.sex.codes, () => v) } };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code });
    expect(attempt).toMatchObject({ status: 'rejected', error: { code: 'NOT_ROW_LOCAL' } });
    expect(attempt.result).toBeUndefined();
    expect(secretIn(attempt)).toBe(false);
    // suspended at once: the operator cannot even read its job back, nor submit another
    expect(attempt.operatorLockedOut).toBe(403);
    recordFinding('1 labels', 'every row labelled with the target\'s value', { status: attempt.status, code: attempt.error?.code, released: attempt.result !== undefined, operatorLockedOut: attempt.operatorLockedOut });
  });

  it('bulk: every row\'s own values packed into its label: only labels a crowd shares can show, never the target\'s', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      const label = (col, i) => col.codes[i] < 0 ? '' : col.dictionary[col.codes[i]];
      return { keys: { row: Array.from(c.sex.codes, (_, i) => [label(c.region_code, i), label(c.birth_date, i), label(c.sex, i), c.annual_income[i]].join('|')) } };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code });
    expect(attempt.status).toBe('succeeded');
    const labels = attempt.result!.tables![0]!.cells.map((c) => c.labels[0]);
    let smallestCrowd = Infinity;
    expect(labels).not.toContain(`${TARGET.region}|${TARGET.birthMonth}|${TARGET.sex}|${TARGET.income}`);
    // every shown label is held by many people in the register (a packed row of one person never clears selection)
    const table = (await range.gw.services.database.sql.query<{ t: string }>("select physical_table as t from dataset_versions where dataset_code = 'population' order by version desc limit 1"))[0]!.t;
    for (const label of labels) {
      const [region, month, sex, income] = String(label).split('|');
      const [{ n }] = (await range.gw.services.database.sql.query<{ n: number }>(
        `select count(*)::int as n from ${table} where region_code = $1 and to_char(birth_date, 'YYYY-MM') = $2 and sex = $3 and ${income === 'NaN' ? 'annual_income is null' : 'round(annual_income / 1000) * 1000 = $4'}`,
        income === 'NaN' ? [region, month, sex] : [region, month, sex, Number(income)],
      )) as [{ n: number }];
      expect(n).toBeGreaterThanOrEqual(5);
      smallestCrowd = Math.min(smallestCrowd, n);
    }
    recordFinding('1 labels', 'bulk: each row packed into its own label', { labelsShown: labels.length, targetShown: false, smallestCrowdBehindAShownLabel: labels.length ? smallestCrowd : null });
  });
});

describe('family 2: measures carry values', () => {
  it('everyone else 1e9, the target its income (row-local): the bounds make the noise swamp the value', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      return { keys: { all: Array.from(c.sex.codes, () => 'all') }, measures: { m: Float64Array.from(c.sex.codes, (_, i) => ${IS_TARGET()} ? c.annual_income[i] : 1e9) } };
    }`;
    // the attacker must declare bounds wide enough for 1e9 to pass: the noise then scales with 1e9
    const wide = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 's', kind: 'sum', by: ['all'], measure: 'm', bounds: { lo: 0, hi: 2e9 }, domain: { all: ['all'] } }] });
    expect(wide.status).toBe('succeeded');
    const table = wide.result!.tables![0]!;
    const released = table.cells[0]!.value!;
    const recovered = ((released % 1e9) + 1e9) % 1e9;
    // the attacker's trick needs the sum exact to the unit; the noise's sd is billions
    expect(table.noise!.sd).toBeGreaterThan(1e9);
    expect(hitProbability(table.noise!.sd, 1000)).toBeLessThan(1e-5);
    expect(Math.abs(recovered - TARGET.income) > 1000 || released === null).toBe(true);
    // with tight bounds the others are clamped, and the target's value still drowns in noise of the bounds' scale
    const tight = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 's', kind: 'sum', by: ['all'], measure: 'm', bounds: { lo: 0, hi: 100_000 }, domain: { all: ['all'] } }] });
    const sd = tight.result!.tables![0]!.noise!.sd;
    expect(sd).toBeGreaterThan(100_000);
    expect(hitProbability(sd, 1000)).toBeLessThan(0.01);
    recordFinding('2 measures', 'everyone else 1e9, the target its income; sum mod 1e9', {
      target: TARGET.income, recovered, noiseSd: table.noise!.sd, pHitWithin1000: hitProbability(table.noise!.sd, 1000), tightBoundsNoiseSd: sd, tightPHitWithin1000: hitProbability(sd, 1000),
    });
  });
});

describe('family 7: DP with a non-local measure', () => {
  it('the target\'s value copied into every row, then a DP mean: refused as not row-local, nothing released', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      let v = 0;
      for (let i = 0; i < c.sex.codes.length; i++) if (${IS_TARGET()}) v = c.annual_income[i];
      return { keys: { all: Array.from(c.sex.codes, () => 'all') }, measures: { m: Float64Array.from(c.sex.codes, () => v) } };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 'm', kind: 'mean', by: ['all'], measure: 'm', bounds: { lo: 0, hi: 200_000 }, domain: { all: ['all'] } }] });
    expect(attempt).toMatchObject({ status: 'rejected', error: { code: 'NOT_ROW_LOCAL' }, operatorLockedOut: 403 });
    expect(attempt.result).toBeUndefined();
    expect(secretIn(attempt)).toBe(false);
    recordFinding('7 DP non-local measure', 'the target\'s value in every row, then a DP mean', { status: attempt.status, code: attempt.error?.code, released: false });
  });
});
