// The pipeline of one job on a real database and real isolates: masked columns in, checked aggregates out, once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { createIsolatePool, type IsolatePool } from '../execution/index.ts';
import { budgetLedger, jobResults, jobs, releasedCells } from './schema.ts';
import { queueJob, seedLicence, seedPopulation, TEST_PSEUDONYM_SECRET } from './testing.ts';
import { createWorker, type JobWorker } from './worker.ts';

let t: TestDatabase;
let pool: IsolatePool;
let worker: JobWorker;
let licence: { operatorId: string; licenseId: string };

beforeAll(async () => {
  t = await createTestDatabase();
  pool = createIsolatePool({ size: 1 });
  await seedPopulation(t.database);
  licence = await seedLicence(t.database);
  worker = createWorker({ database: t.database, pool, policies: loadPolicies(), pseudonymSecret: TEST_PSEUDONYM_SECRET, leaseMs: 30_000 });
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

describe('runJob through a worker', () => {
  it('releases a checked count by sex, with one result row, released cells and audit events', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX });
    expect(await worker.runOnce()).toBe(true);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, leaseOwner: null, errorCode: null });
    expect(row.usage).toMatchObject({ rows: 400 });
    const results = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    expect(results).toHaveLength(1);
    const result = results[0]!.result as { tables: { name: string; cells: { labels: unknown; value: number | null }[] }[] };
    expect(result.tables[0]?.name).toBe('counts');
    const total = result.tables[0]!.cells.reduce((s, c) => s + (c.value ?? 0), 0);
    expect(total).toBeGreaterThan(300);
    expect(results[0]!.record).toMatchObject({ jobId: id, outcome: 'release', dataVersions: { population: '1' } });
    expect((await t.database.db.select().from(releasedCells).where(eq(releasedCells.jobId, id))).length).toBeGreaterThan(0);
    const audit = await t.database.sql.query<{ action: string }>('select action from audit_log where resource = $1 order by seq', [`job:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.succeeded']);
  });

  it('charges ε once to the licence with a DP release', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: [{ name: 'n', kind: 'count', by: ['sex'] }], privacy: { epsilon: 0.5 } });
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row.status).toBe('succeeded');
    const accounts = await t.database.db.select().from(budgetLedger).where(eq(budgetLedger.licenseId, licence.licenseId));
    expect(accounts).toEqual([{ licenseId: licence.licenseId, dataset: 'population', spentMicro: 500_000, version: 1 }]);
  });

  it('fails with the data-free reason of the sandbox when the model throws', async () => {
    const id = await queueJob(t.database, licence, { code: 'export function map(c) { throw new Error(String(c.annual_income[0])); }' });
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'RUNTIME_ERROR' });
    expect(row.errorReason).toMatch(/^Error thrown/);
    expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(0);
  });

  it('sends free-form outputs (features no declared model consumes) to review, not out', async () => {
    const id = await queueJob(t.database, licence, { code: 'export function map(c) { return { keys: { sex: c.sex }, features: { income: c.annual_income } }; }' });
    await worker.runOnce();
    expect((await jobRow(id)).status).toBe('review');
  });

  // income by sex as a regression: features and a label that a declared model consumes are fitted and checked, not reviewed
  const INCOME_BY_SEX = `export function map(c, p, info) {
    const male = new Float64Array(info.rowCount), income = new Float64Array(info.rowCount);
    for (let i = 0; i < info.rowCount; i++) {
      const s = c.sex.codes[i];
      male[i] = s < 0 ? NaN : c.sex.dictionary[s] === '男' ? 1 : 0;
      income[i] = c.annual_income[i] / 1000;
    }
    return { features: { male }, label: income };
  }`;

  it('fits a declared model on the emitted features and releases it after the model checks', async () => {
    const id = await queueJob(t.database, licence, { code: INCOME_BY_SEX, outputs: [{ name: 'income', kind: 'linear' }] });
    await worker.runOnce();
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'succeeded', errorCode: null });
    const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    const result = stored!.result as { tables: unknown[]; models: Record<string, unknown>[] };
    expect(result.tables).toEqual([]);
    expect(result.models).toHaveLength(1);
    const model = result.models[0]!;
    expect(model).toMatchObject({ name: 'income', model: 'linear', withheld: false, terms: ['(intercept)', 'male'], significantDigits: 4 });
    expect((model.coefficients as number[]).every(Number.isFinite)).toBe(true);
    expect((model.standardErrors as number[]).every((se) => se > 0)).toBe(true);
    expect(model.n as number).toBeGreaterThan(200);
    expect(model.n as number % (model.roundedTo as number)).toBe(0);
    expect(typeof model.rSquared).toBe('number');
    const record = stored!.record as { outcome: string; checks: { check: string; outcome: string }[] };
    expect(record.outcome).toBe('release');
    expect(record.checks.find((c) => c.check === 'model_checks')).toMatchObject({ outcome: 'pass' });
    expect(record.checks.find((c) => c.check === 'human_review')).toMatchObject({ outcome: 'not_applicable' });
    // the model's population joins the differencing ledger
    expect(await t.database.db.select().from(releasedCells).where(eq(releasedCells.jobId, id))).toMatchObject([{ output: 'income', labels: [] }]);
  });

  it('withholds (and still releases the rest of) a model the checks refuse: a logistic label no one has', async () => {
    const code = `export function map(c, p, info) {
      const x = Float64Array.from(c.annual_income, (v) => v / 1000), y = new Float64Array(info.rowCount);
      for (let i = 0; i < info.rowCount; i++) y[i] = i % 97 === 0 ? 1 : 0;
      return { keys: { sex: c.sex }, features: { x }, label: y };
    }`;
    const id = await queueJob(t.database, licence, { code, outputs: [{ name: 'n', kind: 'count', by: ['sex'] }, { name: 'rare', kind: 'logistic' }] });
    await worker.runOnce();
    expect((await jobRow(id)).status).toBe('succeeded');
    const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
    const result = stored!.result as { tables: { name: string }[]; models: unknown[] };
    expect(result.tables.map((x) => x.name)).toEqual(['n']);
    expect(result.models).toEqual([{ name: 'rare', model: 'logistic', withheld: true, problems: expect.arrayContaining(['small_outcome_class']) }]);
  });

  it('fails a declared model whose features were not emitted, without a value in the reason', async () => {
    const id = await queueJob(t.database, licence, { code: INCOME_BY_SEX, outputs: [{ name: 'm', kind: 'linear', features: ['age'] }] });
    await worker.runOnce();
    expect(await jobRow(id)).toMatchObject({ status: 'failed', errorCode: 'INVALID_OUTPUTS', errorReason: 'a model output names features the job did not emit' });
  });

  it('two workers draining one queue complete every job exactly once', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => queueJob(t.database, licence, { code: COUNT_BY_SEX })));
    const other = createWorker({ database: t.database, pool, policies: loadPolicies(), pseudonymSecret: TEST_PSEUDONYM_SECRET, leaseMs: 30_000 });
    const drain = async (w: JobWorker) => {
      while (await w.runOnce());
    };
    await Promise.all([drain(worker), drain(other)]);
    for (const id of ids) {
      expect((await jobRow(id)).status).toBe('succeeded');
      expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(1);
      const audit = await t.database.sql.query<{ action: string }>('select action from audit_log where resource = $1', [`job:${id}`]);
      expect(audit.map((a) => a.action)).toEqual(['job.succeeded']);
    }
  });

  it('fails a job whose outputs name a key it did not emit', async () => {
    const bad = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: [{ name: 'n', kind: 'count', by: ['nope'] }] });
    await worker.runOnce();
    expect(await jobRow(bad)).toMatchObject({ status: 'failed', errorCode: 'INVALID_OUTPUTS' });
  });
});
