// Red team, families 3 and 6 of the privacy issue — models that carry a value, and reconstruction from many noisy
// subset sums (Dinur & Nissim 2003) — plus the quieter channels a model could use to see other rows: which values a
// dictionary holds, where a row sits, what Math.random says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRange, IS_TARGET, recordFinding, TARGET, type Range } from './range.ts';

let range: Range;
beforeAll(async () => {
  range = await createRange(1200);
}, 120_000);
afterAll(async () => {
  await range?.close();
});

const FIELDS = [{ code: 'population', fields: ['sex', 'birth_date', 'region_code', 'annual_income'] }];
const label = (col: string, i = 'i') => `(c.${col}.codes[${i}] < 0 ? '' : c.${col}.dictionary[c.${col}.codes[${i}]])`;

describe('family 3: models carry values', () => {
  it('a label made of a made-up feature plus the target\'s value (copied to every row): refused as not row-local', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      let v = 0;
      for (let i = 0; i < c.sex.codes.length; i++) if (${IS_TARGET()}) v = c.annual_income[i] / 1000;
      const x = Float64Array.from(c.sex.codes, (_, i) => i % 7);
      return { features: { x: Float64Array.from(c.sex.codes, (_, i) => (c.sex.codes[i] * 3) % 7) }, label: Float64Array.from(c.sex.codes, (_, i) => ((c.sex.codes[i] * 3) % 7) + v) };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 'm', kind: 'linear', features: ['x'], bounds: { features: { x: { lo: 0, hi: 7 } }, label: { lo: 0, hi: 300 } } }] });
    expect(attempt).toMatchObject({ status: 'rejected', error: { code: 'NOT_ROW_LOCAL' } });
    // nothing released, and the reason is the fixed text (ids and timestamps may hold "57" by chance: not evidence)
    expect(attempt.result).toBeUndefined();
    expect(attempt.error!.reason).not.toContain(String(TARGET.income / 1000));
    recordFinding('3 models', 'label = made-up feature + the target\'s value', { status: attempt.status, code: attempt.error?.code });
  });

  it('a dummy for the target alone (row-local): its coefficient would be the income, and the noise makes it worthless', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      return { features: { t: Float64Array.from(c.sex.codes, (_, i) => ${IS_TARGET()} ? 1 : 0) }, label: Float64Array.from(c.annual_income, (v) => (v === v ? v / 1000 : NaN)) };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 'm', kind: 'linear', features: ['t'], bounds: { features: { t: { lo: 0, hi: 1 } }, label: { lo: 0, hi: 200 } } }] });
    expect(attempt.status).toBe('succeeded');
    const model = attempt.result!.models![0]! as { withheld: boolean; coefficients?: number[]; standardErrors?: number[]; intervals?: [number, number][] };
    if (!model.withheld) {
      // the one person's "coefficient" (in thousands) carries an error of tens of thousands or more: its 95 % interval
      // covers every plausible income
      expect(model.standardErrors![1]!).toBeGreaterThan(50);
      expect(model.intervals![1]![1] - model.intervals![1]![0]).toBeGreaterThan(200);
    }
    recordFinding('3 models', 'a dummy for the target alone (row-local)', model.withheld ? { withheld: true } : { targetThousands: TARGET.income / 1000, coefficient: model.coefficients![1], standardError: model.standardErrors![1], interval: model.intervals![1] });
  });
});

describe('family 6: reconstruction from noisy subset sums', () => {
  it('300 subset sums of a secret bit over 100 people, solved by least squares, recover no more than the base rate allows', async () => {
    // 100 people the attacker knows by (region, birth month, sex), each unique in the register
    const db = range.gw.services.database.sql;
    const [{ t }] = (await db.query<{ t: string }>("select physical_table as t from dataset_versions where dataset_code = 'population' order by version desc limit 1")) as [{ t: string }];
    const people = await db.query<{ region: string; month: string; sex: string; bit: number }>(
      `select region_code as region, to_char(birth_date, 'YYYY-MM') as month, sex, max(case when coalesce(annual_income, 0) >= 50000 then 1 else 0 end)::int as bit
       from ${t} group by 1, 2, 3 having count(*) = 1 order by 1, 2, 3 limit 100`,
    );
    expect(people).toHaveLength(100);
    const truth = people.map((p) => p.bit);
    // 300 random subsets (fixed seed: the attacker's choice, not the platform's)
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const subsets = Array.from({ length: 300 }, () => Array.from({ length: 100 }, () => (rand() < 0.5 ? 1 : 0)));

    const op = await range.attacker();
    const answers: (number | null)[] = [];
    for (let job = 0; job < 6; job++) {
      const queries = subsets.slice(job * 50, job * 50 + 50);
      const code = `export function map(c, p) {
        const index = new Map(p.people.map((q, k) => [q.join('|'), k]));
        const keys = {};
        const who = Array.from(c.sex.codes, (_, i) => index.get([${label('region_code')}, ${label('birth_date')}, ${label('sex')}].join('|')));
        p.queries.forEach((s, q) => {
          keys['q' + q] = who.map((k, i) => (k !== undefined && s[k] === 1 && (c.annual_income[i] === c.annual_income[i] ? c.annual_income[i] : 0) >= 50000 ? 'in' : null));
        });
        return { keys };
      }`;
      const outputs = queries.map((_, q) => ({ name: `q${q}`, kind: 'count', by: [`q${q}`], domain: { [`q${q}`]: ['in'] } }));
      const attempt = await range.attempt(op, { datasets: FIELDS, code, params: { people: people.map((p) => [p.region, p.month, p.sex]), queries }, outputs });
      expect(attempt.status).toBe('succeeded');
      for (const table of attempt.result!.tables!) answers.push(table.cells[0]!.value);
    }

    const accuracyOf = (b: (number | null)[]): number => {
      // least squares over the answered queries: (AᵀA) x = Aᵀb, by Gaussian elimination with a tiny ridge
      const rows = subsets.map((s, q) => [s, b[q]] as const).filter(([, v]) => v !== null) as (readonly [number[], number])[];
      const n = 100;
      const m = Array.from({ length: n }, () => new Float64Array(n + 1));
      for (const [s, v] of rows) for (let a = 0; a < n; a++) if (s[a]) {
        for (let c = 0; c < n; c++) m[a]![c] += s[c]!;
        m[a]![n] += v;
      }
      for (let a = 0; a < n; a++) m[a]![a] += 1e-6;
      for (let col = 0; col < n; col++) {
        let pivot = col;
        for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
        [m[col], m[pivot]] = [m[pivot]!, m[col]!];
        for (let r = 0; r < n; r++) {
          if (r === col) continue;
          const f = m[r]![col]! / m[col]![col]!;
          for (let c = col; c <= n; c++) m[r]![c] -= f * m[col]![c]!;
        }
      }
      const x = m.map((row, a) => row[n]! / row[a]!);
      return x.filter((v, a) => (v > 0.5 ? 1 : 0) === truth[a]).length / n;
    };
    // the attack is real: with the exact sums it reads every bit
    const exact = subsets.map((s) => s.reduce((sum, inS, a) => sum + inS * truth[a]!, 0));
    expect(accuracyOf(exact)).toBeGreaterThan(0.97);
    // against the released values it does no better than guessing the majority, plus a margin for luck
    const base = Math.max(truth.filter((b) => b === 1).length, truth.filter((b) => b === 0).length) / 100;
    const noisy = accuracyOf(answers);
    expect(noisy).toBeLessThanOrEqual(base + 0.15);
    recordFinding('6 reconstruction', '300 subset sums over 100 people, least squares', { exactAccuracy: accuracyOf(exact), releasedAccuracy: noisy, baseRate: base, answered: answers.filter((a) => a !== null).length });
  }, 240_000);
});

describe('other ways to see other rows', () => {
  it('a dictionary that betrays whether a rare value exists elsewhere: refused on real data, the operator suspended', async () => {
    const op = await range.attacker();
    const code = `export function map(c) {
      const seen = c.birth_date.dictionary.includes('${TARGET.birthMonth}') ? 'yes' : 'no';
      return { keys: { exists: Array.from(c.sex.codes, () => seen) } };
    }`;
    const attempt = await range.attempt(op, { datasets: FIELDS, code });
    expect(attempt).toMatchObject({ status: 'rejected', error: { code: 'NOT_ROW_LOCAL' } });
    expect(attempt.operatorLockedOut).toBe(403);
    recordFinding('dictionaries', 'does a rare value exist elsewhere', { status: attempt.status, code: attempt.error?.code });
  });

  it('a row\'s position, or Math.random per row: caught on synthetic rows, told in full, free and without suspension', async () => {
    const op = await range.attacker();
    for (const expression of ['i', 'Math.random()']) {
      const code = `export function map(c) { return { keys: { sex: c.sex }, measures: { x: Float64Array.from(c.sex.codes, (_, i) => ${expression}) } }; }`;
      const attempt = await range.attempt(op, { datasets: FIELDS, code, outputs: [{ name: 's', kind: 'sum', by: ['sex'], measure: 'x', bounds: { lo: 0, hi: 1e6 } }] });
      expect(attempt).toMatchObject({ status: 'failed', error: { code: 'NOT_ROW_LOCAL' } });
      expect(attempt.error!.reason).toMatch(/before any data was read/);
      recordFinding('positions', `a measure of ${expression} per row`, { status: attempt.status, code: attempt.error?.code, onRealData: false });
    }
    expect((await op.request('/operator/jobs', { headers: await op.bearer() })).status).toBe(200);
  });
});
