// The operators' development loop through the real app: GET /operator/datasets/{code}/sample (masked, synthetic,
// never a real value) and dry-run jobs (synthetic data, unchecked output, no budget, its operator only).
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeUscc, csvHeader, csvLine, DATASETS } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../../sandbox/jobs/testing.ts';
import { loadDataset, type Row } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let pool: IsolatePool;
let worker: JobWorker;
let bearer: Record<string, string>;

/** A tiny "real" dataset whose licensed values no generator produces: none of them may appear in a sample. */
const definition = DATASETS.population.definition;
const real: Row[] = [...DATASETS.population.generate({ rows: 6, seed: 'real' })].map((row, i) => ({
  ...row,
  sex: `SECRET-SEX-${i}`,
  region_code: `99990${i}`,
  birth_date: `1901-0${i + 1}-15`,
  annual_income: 7_654_321.98 + i * 1_000_001,
}));
const REAL_VALUES = real.flatMap((r) => [r.sex, r.region_code, r.birth_date, r.annual_income, String(r.birth_date).slice(0, 7), Math.round(Number(r.annual_income) / 1000) * 1000, r.person_id, r.name]);

beforeAll(async () => {
  gw = await createTestGateway();
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  const csv = csvHeader(definition) + real.map((r) => csvLine(r, definition)).join('');
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: Readable.from([csv]), loadedBy: 'test' });
  pool = createIsolatePool({ size: 1 });
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT });
  bearer = await op.bearer();
});
afterAll(async () => {
  await pool?.close();
  await gw?.close();
});

const get = (path: string, headers = bearer) => op.request(path, { headers });
const post = (body: unknown) => op.request('/operator/jobs', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });
type Sample = { dataset: string; licenseId: string; synthetic: boolean; fields: { name: string; type: string; keeps: string }[]; rows: Record<string, unknown>[] };

describe('GET /operator/datasets/{code}/sample', () => {
  it('returns 20 synthetic rows with the masked schema of the licensed fields, as /operator/datasets describes it', async () => {
    const res = await get('/operator/datasets/population/sample');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Sample;
    expect(body).toMatchObject({ dataset: 'population', licenseId: op.licenseId, synthetic: true });
    expect(body.rows).toHaveLength(20);
    const { items } = (await (await get('/operator/datasets')).json()) as { items: { fields: { name: string; type: string; keeps: string }[] }[] };
    expect(body.fields.map(({ name, type, keeps }) => ({ name, type, keeps }))).toEqual(items[0]!.fields.map(({ name, type, keeps }) => ({ name, type, keeps })));
    for (const row of body.rows) expect(Object.keys(row).sort()).toEqual(['annual_income', 'birth_date', 'region_code', 'sex']);
  });

  it('looks like what a job sees: months, incomes rounded to 1,000, missing incomes at a realistic rate', async () => {
    const { rows } = (await (await get('/operator/datasets/population/sample?rows=1000')).json()) as Sample;
    expect(rows).toHaveLength(1000);
    for (const r of rows) {
      expect(r.birth_date).toMatch(/^\d{4}-\d{2}$/);
      expect(r.region_code).toMatch(/^\d{6}$/);
      if (r.annual_income !== null) expect(Number(r.annual_income) % 1000).toBe(0);
    }
    const missing = rows.filter((r) => r.annual_income === null).length;
    expect(missing).toBeGreaterThan(50); // children and people without income: the generator's rates
    expect(missing).toBeLessThan(700);
    expect(new Set(rows.map((r) => r.region_code)).size).toBeGreaterThan(20);
  });

  it('never contains a value of the loaded data', async () => {
    const { rows } = (await (await get('/operator/datasets/population/sample?rows=1000')).json()) as Sample;
    const seen = new Set(rows.flatMap((r) => Object.values(r)).map(String));
    for (const v of REAL_VALUES) expect(seen.has(String(v))).toBe(false);
  });

  it('is stable between calls (seeded)', async () => {
    const a = (await (await get('/operator/datasets/population/sample?rows=5')).json()) as Sample;
    const b = (await (await get('/operator/datasets/population/sample?rows=5')).json()) as Sample;
    expect(a.rows).toEqual(b.rows);
  });

  it('refuses a bad rows parameter (400 naming rows), an unlicensed dataset (403) and non-operators (401/403)', async () => {
    for (const q of ['rows=0', 'rows=1001', 'rows=abc', 'rows=2.5']) {
      const res = await get(`/operator/datasets/population/sample?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.text()).toMatch(/rows/);
    }
    expect((await get('/operator/datasets/health_visits/sample')).status).toBe(403);
    expect((await get(`/operator/datasets/population/sample?licenseId=lic-not-mine`)).status).toBe(403);
    expect((await gw.app.request('/operator/datasets/population/sample')).status).toBe(401);
  });

  it('is audited as a Cedar ReadDatasetSchema decision', async () => {
    await get('/operator/datasets/population/sample?rows=1');
    const rows = await gw.services.database.sql.query<{ action: string; outcome: string }>("select action, outcome from audit_log where resource = 'dataset:population' and action like 'authz.%' order by seq desc limit 1");
    expect(rows[0]).toMatchObject({ action: 'authz.read_dataset_schema', outcome: 'allow' });
  });
});

const COUNT_BY_SEX = 'export function map(c) { return { keys: { sex: c.sex }, measures: { income: c.annual_income } }; }';

describe('dry runs', () => {
  it('run on synthetic data, return the unchecked output marked as such, and spend no budget', async () => {
    const res = await post({
      licenseId: op.licenseId,
      datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }],
      code: COUNT_BY_SEX,
      outputs: [{ name: 'counts', kind: 'count', by: ['sex'] }, { name: 'mean_income', kind: 'mean', measure: 'income', by: ['sex'], bounds: { lo: 0, hi: 500000 } }],
      privacy: { epsilon: 1 },
      dryRun: true,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(await worker.runOnce()).toBe(true);
    expect(((await (await get(`/operator/jobs/${id}`)).json()) as { status: string }).status).toBe('succeeded');
    const result = (await (await get(`/operator/jobs/${id}/result`)).json()) as {
      dryRun: boolean;
      checked: boolean;
      result: { syntheticRows: number; tables: { name: string; cells: { labels: string[]; value: number; suppressed: null }[] }[] };
      record: { dryRun: boolean; checked: boolean };
    };
    expect(result).toMatchObject({ dryRun: true, checked: false, record: { dryRun: true, checked: false } });
    expect(result.result.syntheticRows).toBe(1000);
    const counts = result.result.tables.find((t) => t.name === 'counts')!;
    // 1,000 synthetic people, not the 6 loaded ones; unrounded, unsuppressed
    expect(counts.cells.reduce((s, c) => s + c.value, 0)).toBe(1000);
    expect(counts.cells.map((c) => c.labels[0]).sort()).toEqual(['女', '男']);
    const db = gw.services.database.sql;
    expect(await db.query('select * from budget_ledger where license_id = $1', [op.licenseId])).toEqual([]);
    expect(await db.query('select * from released_cells where job_id = $1', [id])).toEqual([]);
    const audit = await db.query<{ action: string; details: { dryRun?: boolean } }>('select action, details from audit_log where resource = $1 order by seq', [`job:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.submitted', 'job.succeeded']);
    expect(audit[0]!.details.dryRun).toBe(true);
    const budget = (await (await get('/operator/budget')).json()) as { items: { epsilonSpent: number }[] };
    expect(budget.items.every((b) => b.epsilonSpent === 0)).toBe(true);
  });

  it('are visible to their operator only', async () => {
    const { id } = (await (await post({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: COUNT_BY_SEX.replace(', measures: { income: c.annual_income }', ''), dryRun: true })).json()) as { id: string };
    await worker.runOnce();
    const other = await createTestOperator(gw, await gw.login('security', PASSWORDS.security), composeUscc('91', '350100', 'MA0000XY'));
    expect((await other.request(`/operator/jobs/${id}/result`, { headers: await other.bearer() })).status).toBe(404);
    const steward = await gw.addStaff('steward-dry', 'steward', null);
    expect((await gw.app.request(`/operator/jobs/${id}/result`, { headers: steward })).status).toBe(403);
    expect((await get(`/operator/jobs/${id}/result`)).status).toBe(200);
  });

  it('stay inside the licence: a field it does not grant is refused (403) as for a real job', async () => {
    const res = await post({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['name'] }], code: COUNT_BY_SEX, dryRun: true });
    expect(res.status).toBe(403);
  });

  it('fail with a reason that says it was a dry run, and the next job runs normally', async () => {
    const { id } = (await (await post({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: 'export function map(c) { return { keys: { sex: c.sex } }; }', outputs: [{ name: 'm', kind: 'mean', measure: 'nope', by: ['sex'], bounds: { lo: 0, hi: 1 } }], dryRun: true })).json()) as { id: string };
    await worker.runOnce();
    const job = (await (await get(`/operator/jobs/${id}`)).json()) as { status: string; error: { code: string; reason: string } };
    expect(job).toMatchObject({ status: 'failed', error: { code: 'INVALID_OUTPUTS' } });
    expect(job.error.reason).toMatch(/dry run on synthetic data/);
  });
});
