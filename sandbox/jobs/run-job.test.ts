// The pipeline of one job on a real database and real isolates: preflight on synthetic rows, masked columns in,
// confined runs, DP release out, once — and what an operator can and cannot learn when things go wrong.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, operators, type TestDatabase } from '../../store/index.ts';
import { alerts } from '../alerts/schema.ts';
import { createIsolatePool, type IsolatePool } from '../execution/index.ts';
import { budgetLedger, jobResults, jobs, releasedCells } from './schema.ts';
import { queueJob, seedLicence, seedPopulation, TEST_PSEUDONYM_SECRET, TEST_SLOT } from './testing.ts';
import { claimJob } from './claim-job.ts';
import { createWorker, type JobWorker, REQUEUE_EVERY_MS } from './worker.ts';
import { seededShuffleRandom } from '../confinement/index.ts';
import { SeededRandom } from '../dp/testing.ts';

let t: TestDatabase;
let pool: IsolatePool;
let worker: JobWorker;
let licence: { operatorId: string; licenseId: string };
const policies = loadPolicies();
const newWorker = () => createWorker({ database: t.database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, leaseMs: 30_000, slot: TEST_SLOT });

beforeAll(async () => {
  t = await createTestDatabase();
  pool = createIsolatePool({ size: 2 });
  await seedPopulation(t.database);
  licence = await seedLicence(t.database);
  worker = newWorker();
});
afterAll(async () => {
  await pool?.close();
  await t?.drop();
});

const COUNT_BY_SEX = 'export function map(columns) { return { keys: { sex: columns.sex } }; }';

async function jobRow(id: string) {
  const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}
const audit = async (id: string) => (await t.database.sql.query<{ action: string; details: Record<string, unknown> }>('select action, details from audit_log where resource = $1 order by seq', [`job:${id}`]));

describe('a real run', () => {
  it('releases a DP count by sex: noisy values with intervals, one result row, the ledger, audit, and only its slot as usage', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: [{ name: 'n', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } }] });
    expect(await worker.runOnce()).toBe(true);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, leaseOwner: null, errorCode: null });
    // timing and resource figures of a run on real data are not shown: only the slot, fixed from public facts
    expect(row.usage).toEqual({ slotMs: row.slotMs });
    expect(row.slotMs! % TEST_SLOT.baseMs).toBe(0);
    const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    const result = stored!.result as { dp: { epsilon: number }; tables: { name: string; domain: string; cells: { labels: string[]; value: number; interval: [number, number] }[] }[] };
    expect(result.dp.epsilon).toBeCloseTo(1, 6);
    const table = result.tables[0]!;
    expect(table).toMatchObject({ name: 'n', domain: 'declared' });
    expect(table.cells.map((c) => c.labels[0])).toEqual(['男', '女']);
    const total = table.cells.reduce((s, c) => s + c.value, 0);
    expect(Math.abs(total - 400)).toBeLessThan(80);
    for (const c of table.cells) expect(c.interval[0]).toBeLessThanOrEqual(c.interval[1]);
    expect(stored!.record).toMatchObject({ jobId: id, outcome: 'release', dataVersions: { population: '1' } });
    const checks = (stored!.record as { checks: { check: string; outcome: string }[] }).checks;
    expect(checks.find((c) => c.check === 'row_locality')).toMatchObject({ outcome: 'pass' });
    expect(checks.find((c) => c.check === 'dp_noise')).toMatchObject({ outcome: 'applied' });
    expect((await t.database.db.select().from(releasedCells).where(eq(releasedCells.jobId, id))).length).toBeGreaterThan(0);
    expect((await audit(id)).map((a) => a.action)).toEqual(['job.succeeded']);
  });

  it('fits a declared DP model with bounds and releases it with intervals', async () => {
    const code = `export function map(c, p, info) {
      const male = new Float64Array(info.rowCount), income = new Float64Array(info.rowCount);
      for (let i = 0; i < info.rowCount; i++) {
        const s = c.sex.codes[i];
        male[i] = s < 0 ? NaN : c.sex.dictionary[s] === '男' ? 1 : 0;
        income[i] = c.annual_income[i] / 1000;
      }
      return { features: { male }, label: income };
    }`;
    const id = await queueJob(t.database, licence, { code, outputs: [{ name: 'income', kind: 'linear', features: ['male'], bounds: { features: { male: { lo: 0, hi: 1 } }, label: { lo: 0, hi: 300 } } }] });
    await worker.runOnce();
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', errorCode: null });
    const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    const model = (stored!.result as { models: Record<string, unknown>[] }).models[0]!;
    expect(model).toMatchObject({ name: 'income', model: 'linear', withheld: false, terms: ['(intercept)', 'male'] });
    expect((model.intervals as [number, number][]).every(([lo, hi]) => lo < hi)).toBe(true);
    expect((model.standardErrors as number[]).every((se) => se > 0)).toBe(true);
  });

  it('withholds a DP logistic model whose outcome class is (noisily) too small, and releases the rest', async () => {
    const code = `export function map(c, p, info) {
      const x = Float64Array.from(c.annual_income, (v) => Math.min(v / 1000, 300)), y = new Float64Array(info.rowCount);
      return { keys: { sex: c.sex }, features: { x }, label: y };
    }`;
    const id = await queueJob(t.database, licence, { code, outputs: [{ name: 'n', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } }, { name: 'rare', kind: 'logistic', features: ['x'], bounds: { features: { x: { lo: 0, hi: 300 } } } }] });
    // the rule reads the class count's 95 % lower bound, so this holds in ≥ 97.5 % of noise draws; seeded to be exact
    const seeded = createWorker({ database: t.database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, leaseMs: 30_000, slot: TEST_SLOT, rng: new SeededRandom(11), confinement: { random: seededShuffleRandom(11) } });
    await seeded.runOnce();
    expect((await jobRow(id)).status).toBe('succeeded');
    const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    const result = stored!.result as { tables: { name: string }[]; models: { withheld: boolean; problems?: string[] }[] };
    expect(result.tables.map((x) => x.name)).toEqual(['n']);
    expect(result.models[0]).toMatchObject({ withheld: true, problems: expect.arrayContaining(['small_outcome_class']) });
  });

  it('sends a release without DP to review, never out', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX, privacy: { none: true, justification: 'exact counts for a statutory report' } });
    await worker.runOnce();
    expect((await jobRow(id)).status).toBe('review');
  });

  it("a dead worker's job is swept back and run by the next round; sweeps come at most once a second", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const fresh = newWorker();
    const first = await queueJob(t.database, licence, { code: COUNT_BY_SEX });
    expect((await claimJob(t.database, 'dying', 20))!.id).toBe(first);
    await sleep(60);
    // a new worker's first round sweeps, then claims the job it swept back
    expect(await fresh.runOnce()).toBe(true);
    expect(await jobRow(first)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const second = await queueJob(t.database, licence, { code: COUNT_BY_SEX });
    expect((await claimJob(t.database, 'dying', 20))!.id).toBe(second);
    await sleep(60);
    // within the second after its sweep, a round claims only what is queued: the expired lease waits
    expect(await fresh.runOnce()).toBe(false);
    expect((await jobRow(second)).status).toBe('running');
    await sleep(REQUEUE_EVERY_MS);
    expect(await fresh.runOnce()).toBe(true);
    expect(await jobRow(second)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('two workers draining one queue complete every job exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => queueJob(t.database, licence, { code: COUNT_BY_SEX })));
    const other = newWorker();
    const drain = async (w: JobWorker) => {
      while (await w.runOnce());
    };
    await Promise.all([drain(worker), drain(other)]);
    for (const id of ids) {
      expect((await jobRow(id)).status).toBe('succeeded');
      expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(1);
      expect((await audit(id)).map((a) => a.action)).toEqual(['job.succeeded']);
    }
  });
});

describe('failures before any data is read are told in full and cost nothing', () => {
  it('a model that throws on synthetic rows: class and line, and the charge given back', async () => {
    const own = await seedLicence(t.database);
    await t.database.db.insert(budgetLedger).values({ licenseId: own.licenseId, dataset: 'population', rhoSpentNano: 50_000_000, version: 1 });
    const id = await queueJob(t.database, own, { code: 'export function map(c) {\n  throw new RangeError("x");\n}' });
    await t.database.db.update(jobs).set({ rhoNano: 20_000_000 }).where(eq(jobs.id, id));
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'RUNTIME_ERROR' });
    expect(row.errorReason).toMatch(/^RangeError thrown at line 2, column \d+ \[before any data was read, on synthetic rows\]$/);
    const [account] = await t.database.db.select().from(budgetLedger).where(eq(budgetLedger.licenseId, own.licenseId));
    expect(account!.rhoSpentNano).toBe(30_000_000);
  });

  it('the real read overlaps the preflight, yet a failed preflight ends refunded with its own reason and no real run', async () => {
    const own = await seedLicence(t.database);
    await t.database.db.insert(budgetLedger).values({ licenseId: own.licenseId, dataset: 'population', rhoSpentNano: 50_000_000, version: 1 });
    // fails on the preflight's 200 synthetic rows only: had a real run started, it would have succeeded
    const id = await queueJob(t.database, own, { code: 'export function map(c, p, info) {\n  if (info.rowCount <= 200) throw new RangeError("x");\n  return { keys: { sex: c.sex } };\n}' });
    await t.database.db.update(jobs).set({ rhoNano: 20_000_000 }).where(eq(jobs.id, id));
    const seeds: number[] = [];
    const watched: IsolatePool = { size: pool.size, stats: () => pool.stats(), close: async () => {}, run: (job) => (seeds.push(job.seed ?? 0), pool.run(job)) };
    const watching = createWorker({ database: t.database, pool: watched, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, leaseMs: 30_000, slot: TEST_SLOT });
    await watching.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'RUNTIME_ERROR' });
    expect(row.errorReason).toMatch(/^RangeError thrown at line 2, column \d+ \[before any data was read, on synthetic rows\]$/);
    // every model run was a preflight run (seed 1); the job's own seed never reached a run
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.every((s) => s === 1)).toBe(true);
    expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(0);
    const [account] = await t.database.db.select().from(budgetLedger).where(eq(budgetLedger.licenseId, own.licenseId));
    expect(account!.rhoSpentNano).toBe(30_000_000);
    expect((await audit(id)).find((a) => a.action === 'job.failed')!.details).toMatchObject({ errorCode: 'RUNTIME_ERROR', refunded: true });
  });

  it('outputs naming columns the model does not emit', async () => {
    const bad = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: [{ name: 'n', kind: 'count', by: ['nope'] }] });
    await worker.runOnce();
    expect(await jobRow(bad)).toMatchObject({ status: 'failed', errorCode: 'INVALID_OUTPUTS' });
  });
});

describe('what a run on real data says when it goes wrong', () => {
  it('fails with one fixed code, no line, class or figure — and the budget stays spent', async () => {
    // the preflight's synthetic run holds 200 rows, the real one 400: this model fails on real data only
    const own = await seedLicence(t.database);
    const id = await queueJob(t.database, own, { code: 'export function map(c, p, info) {\n  if (info.rowCount > 300) throw new TypeError("gotcha " + c.annual_income[0]);\n  return { keys: { sex: c.sex } };\n}' });
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'RUN_FAILED', errorReason: 'the model failed on the real data; dry-run it on synthetic data to see why' });
    expect(row.usage).toEqual({ slotMs: row.slotMs });
    // staff see the sandbox's own code in the audit log
    expect((await audit(id)).find((a) => a.action === 'job.failed')!.details).toMatchObject({ errorCode: 'RUN_FAILED', internalCode: 'RUNTIME_ERROR', refunded: false });
  });

  it('sends a licence to review after three failed runs on real data in a day', async () => {
    const own = await seedLicence(t.database);
    const code = 'export function map(c, p, info) { if (info.rowCount > 300) throw new Error(); return { keys: { sex: c.sex } }; }';
    for (let i = 0; i < 3; i++) {
      await queueJob(t.database, own, { code });
      await worker.runOnce();
    }
    const raised = await t.database.db.select().from(alerts).where(eq(alerts.kind, 'failed-runs'));
    expect(raised.some((a) => a.operatorId === own.operatorId)).toBe(true);
    const [lic] = await t.database.sql.query<{ status: string }>('select status from licenses where id = $1', [own.licenseId]);
    expect(lic!.status).toBe('suspended');
  });

  it('refuses a model that is row-local on synthetic rows but not on real ones, and suspends its operator', async () => {
    const own = await seedLicence(t.database);
    // with more rows than the synthetic run has, every row emits the run's row count: not a function of the row
    const code = 'export function map(c, p, info) { const n = info.rowCount > 300 ? info.rowCount : 1; return { keys: { sex: c.sex }, measures: { m: Float64Array.from(c.annual_income, () => n) } }; }';
    const id = await queueJob(t.database, own, { code, outputs: [{ name: 'm', kind: 'sum', by: ['sex'], measure: 'm', bounds: { lo: 0, hi: 1000 } }] });
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'rejected', errorCode: 'NOT_ROW_LOCAL' });
    expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(0);
    const [alert] = await t.database.db.select().from(alerts).where(eq(alerts.jobId, id));
    expect(alert).toMatchObject({ kind: 'not-row-local', severity: 'critical', suspendedOperator: own.operatorId });
    const [op] = await t.database.db.select().from(operators).where(eq(operators.id, own.operatorId));
    expect(op!.status).toBe('suspended');
  });
});
