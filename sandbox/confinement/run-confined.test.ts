// Confinement on real isolates: row-local models pass and give the output of one whole run; models whose output for
// a row depends on other rows are caught, whichever way they depend on them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatePool, type IsolatePool, type MapOutput } from '../execution/index.ts';
import { seededShuffleRandom } from './random.ts';
import { runConfined } from './run-confined.ts';

let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const N = 2000;
const income = Float64Array.from({ length: N }, (_, i) => (i % 97 === 0 ? NaN : 20_000 + ((i * 7919) % 90_000)));
const sex = { codes: Int32Array.from({ length: N }, (_, i) => i % 2), dictionary: ['男', '女'] };
// 17 common regions and one rare one (row 999 only), which sorts first: a model that looks at which values exist
// sees it only in the runs that hold row 999
const region = {
  codes: Int32Array.from({ length: N }, (_, i) => (i === 999 ? 17 : (i * 31) % 17)),
  dictionary: [...Array.from({ length: 17 }, (_, k) => `3301${String(k + 10).padStart(2, '0')}`), '330100'],
};
const columns = { annual_income: income, sex, region_code: region };
// 500 people with four rows each
const contributors = { of: Int32Array.from({ length: N }, (_, i) => Math.floor(i / 4)), count: N / 4 };

const job = (code: string, extra: Partial<Parameters<typeof runConfined>[1]> = {}) =>
  runConfined(pool, { code, columns, params: { cut: 50_000 }, asOf: 0, seed: 42, contributors: null, ...extra }, { random: seededShuffleRandom(7) });

function labelsOf(output: MapOutput, key: string): (string | null)[] {
  const k = output.keys.get(key)!;
  if (k.type !== 'dict') throw new Error('expected a string key');
  return Array.from(k.codes, (c) => (c < 0 ? null : k.dictionary[c]!));
}

describe('row-local models pass', () => {
  it('gives, row for row, what one run over every row in order gives', async () => {
    const code = `export function map(c, p) {
      const n = c.annual_income.length, rows = [], band = [], inc = new Float64Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const x = c.annual_income[i];
        if (x !== x) continue;
        rows.push(i); band.push(x >= p.cut ? 'high' : 'low'); inc[k++] = x;
      }
      return { rows, keys: { band, region: c.region_code, }, measures: { income: inc.subarray(0, k) } };
    }`.replace('region: c.region_code,', 'region: { codes: Int32Array.from(rows, (i) => c.region_code.codes[i]), dictionary: c.region_code.dictionary },');
    const confined = await job(code);
    expect(confined.ok).toBe(true);
    if (!confined.ok) return;
    expect(confined.runs).toBe(1 + 2 * 8);
    const whole = await pool.run({ code, columns, params: { cut: 50_000 }, asOf: 0, seed: 42 });
    if (!whole.ok) throw new Error(whole.reason);
    expect(Array.from(confined.output.rows!)).toEqual(Array.from(whole.output.rows!));
    expect(labelsOf(confined.output, 'band')).toEqual(labelsOf(whole.output, 'band'));
    expect(labelsOf(confined.output, 'region')).toEqual(labelsOf(whole.output, 'region'));
    expect(Array.from(confined.output.measures.get('income')!)).toEqual(Array.from(whole.output.measures.get('income')!));
  });

  it('passes a model that works per contributor over the contributor\'s own rows', async () => {
    // each row emits its contributor's row count... computed from a person id column the model was given
    const person = { codes: Int32Array.from(contributors.of), dictionary: Array.from({ length: N / 4 }, (_, k) => `p${k}`) };
    const code = `export function map(c) {
      const counts = new Map();
      for (let i = 0; i < c.person.codes.length; i++) { const p = c.person.dictionary[c.person.codes[i]]; counts.set(p, (counts.get(p) || 0) + 1); }
      const own = new Float64Array(c.person.codes.length);
      for (let i = 0; i < own.length; i++) own[i] = counts.get(c.person.dictionary[c.person.codes[i]]);
      return { keys: { sex: c.sex }, measures: { rows_of_person: own } };
    }`;
    const confined = await runConfined(pool, { code, columns: { ...columns, person }, params: {}, asOf: 0, seed: 1, contributors }, { random: seededShuffleRandom(3) });
    expect(confined.ok).toBe(true);
    if (confined.ok) expect(new Set(confined.output.measures.get('rows_of_person'))).toEqual(new Set([4]));
  });

  it('lets Math.random be drawn at module level (the same in every run of a job)', async () => {
    const confined = await job(`const salt = Math.random();
      export function map(c) { return { measures: { x: Float64Array.from(c.annual_income, (v) => v * salt) } }; }`);
    expect(confined.ok).toBe(true);
  });
});

describe('models that are not row-local are refused', () => {
  const cases: [string, string][] = [
    ['every row labelled with one person\'s value', `export function map(c) {
      let v = 0; for (let i = 0; i < c.annual_income.length; i++) if (c.region_code.dictionary[c.region_code.codes[i]] === '330100') v = c.annual_income[i];
      return { keys: { v: Array.from(c.sex.codes, () => 'v=' + v) } };
    }`],
    ['one person\'s value copied into every row\'s measure', `export function map(c) {
      let t = NaN; for (let i = 0; i < c.annual_income.length; i++) if (c.annual_income[i] === ${income[1234]}) t = c.annual_income[i];
      return { keys: { sex: c.sex }, measures: { m: Float64Array.from(c.annual_income, () => t) } };
    }`],
    ['a row index used as an identifier', `export function map(c) {
      return { keys: { sex: c.sex }, measures: { idx: Float64Array.from(c.annual_income, (_, i) => i) } };
    }`],
    ['the number of rows in the run', `export function map(c, p, info) {
      return { measures: { n: Float64Array.from(c.annual_income, () => info.rowCount) } };
    }`],
    ['the dictionary: whether a rare value exists among the other rows', `export function map(c) {
      return { keys: { has: Array.from(c.region_code.codes, () => String(c.region_code.dictionary.length)) } };
    }`],
    ['dictionary codes passed out as integers', `export function map(c) {
      return { keys: { code: c.region_code.codes } };
    }`],
    ['Math.random drawn per row', `export function map(c) {
      return { measures: { r: Float64Array.from(c.annual_income, () => Math.random()) } };
    }`],
    ['column names chosen by the data', `export function map(c) {
      let big = false; for (const x of c.annual_income) if (x > 109000) big = true;
      return big ? { keys: { sex: c.sex } } : { keys: { sex2: c.sex } };
    }`],
    ['rows kept or dropped by another row\'s value', `export function map(c) {
      let any = false; for (const x of c.annual_income) if (x === ${income[77]}) any = true;
      const rows = []; for (let i = 0; i < c.annual_income.length; i++) if (any || i % 2) rows.push(i);
      return { rows, keys: { sex: Array.from(rows, (i) => c.sex.dictionary[c.sex.codes[i]]) } };
    }`],
  ];
  for (const [name, code] of cases) {
    it(name, async () => {
      const confined = await job(code);
      expect(confined).toMatchObject({ ok: false, kind: 'not_local' });
    });
  }
});

describe('failures', () => {
  it('reports the first failing run with its sandbox code', async () => {
    const confined = await job('export function map(c) { if (c.annual_income.length < 2000) throw new TypeError("x"); return { keys: { sex: c.sex } }; }');
    expect(confined).toMatchObject({ ok: false, kind: 'failed', code: 'RUNTIME_ERROR' });
  });
});
