// Red team, family 5 of the privacy issue (differencing by three cells, split across operators; the complement of a
// withheld cell) and the budgets no sybil escapes: each attack as an attacker would run it through the operator API,
// and what it gets is measured against the noise the platform promised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epsilonFromRho, erfc, rhoFromEpsilon } from '../sandbox/dp/index.ts';
import { createRange, IS_TARGET, recordFinding, TARGET, type Attempt, type Range } from './range.ts';

let range: Range;
beforeAll(async () => {
  range = await createRange();
}, 120_000);
afterAll(async () => {
  await range?.close();
});

const FIELDS = [{ code: 'population', fields: ['sex', 'birth_date', 'region_code', 'annual_income'] }];
const label = (col: string, i = 'i') => `(c.${col}.codes[${i}] < 0 ? '' : c.${col}.dictionary[c.${col}.codes[${i}]])`;
/** One count output, over a row-local filter, with its one label declared (every cell shown, noise and all). */
const countWhere = (name: string, filter: string) => ({
  code: `export function map(c) { return { keys: { ${name}: Array.from(c.sex.codes, (_, i) => (${filter}) ? 'in' : null) } }; }`,
  output: { name, kind: 'count', by: [name], domain: { [name]: ['in'] } },
});
const valueOf = (a: Attempt) => a.result!.tables![0]!.cells[0]!.value ?? 0;
const sdOf = (a: Attempt) => a.result!.tables![0]!.noise!.sd;

describe('family 5: differencing', () => {
  it('G − S − R, split across two operators: the difference that would be the target\'s bit is buried in noise', async () => {
    // the bit: is the target's income at least 50,000? G counts region X with income ≥ 50,000; S and R take out everyone
    // but the target (other birth months; the target's month but the other sex). G − S − R is the target's bit.
    const region = `${label('region_code')} === '${TARGET.region}' && c.annual_income[i] >= 50000`;
    const g = countWhere('g', region);
    const s = countWhere('s', `${region} && ${label('birth_date')} !== '${TARGET.birthMonth}'`);
    const r = countWhere('r', `${region} && ${label('birth_date')} === '${TARGET.birthMonth}' && ${label('sex')} !== '${TARGET.sex}'`);
    const alice = await range.attacker();
    const bob = await range.attacker();
    const G = await range.attempt(alice, { datasets: FIELDS, code: g.code, outputs: [g.output] });
    const S = await range.attempt(bob, { datasets: FIELDS, code: s.code, outputs: [s.output] });
    const R = await range.attempt(alice, { datasets: FIELDS, code: r.code, outputs: [r.output] });
    for (const a of [G, S, R]) expect(a.status).toBe('succeeded');
    const estimate = valueOf(G) - valueOf(S) - valueOf(R);
    const sd = Math.hypot(sdOf(G), sdOf(S), sdOf(R));
    // the attacker's estimate of a 0/1 bit has noise sd ≥ 5: the best test errs ≥ 46 % of the time (Φ(−0.5/5))
    expect(sd).toBeGreaterThanOrEqual(5);
    expect(Number.isFinite(estimate)).toBe(true);
    // the two operators paid from the same yearly budget of the dataset: splitting the attack saved nothing
    const [{ spent }] = (await range.gw.services.database.sql.query<{ spent: number }>("select rho_spent_nano::float8 as spent from dataset_budgets where dataset = 'population'")) as [{ spent: number }];
    const [{ licences }] = (await range.gw.services.database.sql.query<{ licences: number }>("select sum(rho_spent_nano)::float8 as licences from budget_ledger where dataset = 'population' and license_id in ($1, $2)", [alice.licenseId, bob.licenseId])) as [{ licences: number }];
    expect(spent).toBeGreaterThanOrEqual(licences);
    recordFinding('5 differencing', 'G − S − R across two operators (a 0/1 bit)', { estimate, noiseSd: sd, bestTestErrorRate: 0.5 * erfc(0.5 / sd / Math.SQRT2) });
  });

  it('the complement of a withheld cell: total − shown cells − the partner released alone gives nothing exact', async () => {
    const op = await range.attacker();
    // a two-way table of the target's region by birth month bucket, with totals; then the target's month alone
    const bucket = `(${label('birth_date')} === '${TARGET.birthMonth}' ? 'target-month' : 'other')`;
    const table = await range.attempt(op, {
      datasets: FIELDS,
      code: `export function map(c) { return { keys: { region: Array.from(c.sex.codes, (_, i) => ${label('region_code')} === '${TARGET.region}' ? 'X' : 'rest'), month: Array.from(c.sex.codes, (_, i) => ${bucket}) } }; }`,
      outputs: [{ name: 'n', kind: 'count', by: ['region', 'month'], totals: true, domain: { region: ['X', 'rest'], month: ['target-month', 'other'] } }],
    });
    expect(table.status).toBe('succeeded');
    const cells = table.result!.tables![0]!.cells;
    const withheld = cells.find((c) => c.labels[0] === 'X' && c.labels[1] === 'target-month')!;
    // the target's cell holds one person: withheld (its noisy count is far below 20), and no total pins it down exactly
    expect(withheld.value).toBeNull();
    const alone = countWhere('alone', `${label('region_code')} === '${TARGET.region}' && ${bucket} === 'target-month'`);
    const later = await range.attempt(op, { datasets: FIELDS, code: alone.code, outputs: [alone.output] });
    expect(later.status).toBe('succeeded');
    // released alone it is noise of sd ≥ 5 around 1: the count of one person is not learnt
    expect(sdOf(later)).toBeGreaterThanOrEqual(5);
    const shown = later.result!.tables![0]!.cells[0]!;
    expect(shown.value === null || shown.suppressed !== null || (shown.interval![0] <= 0 && shown.interval![1] >= 2)).toBe(true);
    recordFinding('5 differencing', 'complement of a withheld cell, partner released alone later', { withheldInTable: true, laterValue: shown.value, laterInterval: shown.interval ?? null, laterNoiseSd: sdOf(later) });
  });
});

describe('budgets no sybil escapes', () => {
  it('a steward\'s yearly budget for the dataset stops every licence together, however many an attacker holds', async () => {
    const steward = await range.gw.login('steward', 'steward-password-1');
    const year = new Date().getUTCFullYear();
    const now = (await (await range.gw.app.request('/steward/datasets/population/privacy-budget', { headers: steward })).json()) as { epsilonSpent: number; rhoSpent: number; year: number };
    expect(now.year).toBe(year);
    // set the year's budget to what is spent plus room for two and a half default jobs (zCDP: room is counted in ρ)
    const room = now.rhoSpent + 2.5 * rhoFromEpsilon(1);
    const res = await range.gw.app.request('/steward/datasets/population/privacy-budget', {
      method: 'PUT',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify({ epsilon: epsilonFromRho(room), reason: 'red-team: a tight year' }),
    });
    expect(res.status).toBe(200);
    const outcomes: string[] = [];
    for (let k = 0; k < 4; k++) {
      const sybil = await range.attacker();
      const job = countWhere('n', `${label('sex')} === '男'`);
      const a = await range.attempt(sybil, { datasets: FIELDS, code: job.code, outputs: [job.output] });
      outcomes.push(a.refused ? a.refused.code : a.status);
    }
    // four sybils with fresh licences of their own: two fit in the year, the rest are refused by the dataset's budget
    expect(outcomes).toEqual(['succeeded', 'succeeded', 'BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    recordFinding('sybils', 'four fresh licences against a dataset-year budget with room for 2.5 jobs', { outcomes });
    // the audit log names who set it and why
    const [entry] = await range.gw.services.database.sql.query<{ details: { reason: string } }>("select details from audit_log where action = 'privacy.dataset_budget.set' order by seq desc limit 1");
    expect(entry!.details.reason).toBe('red-team: a tight year');
    void IS_TARGET;
  });
});
