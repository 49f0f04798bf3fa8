// POST /operator/jobs → a worker runs it → GET the job, its released result and the budget; and the refusals.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { rhoFromEpsilon } from '../../sandbox/dp/index.ts';
import { budgetLedger } from '../../sandbox/jobs/schema.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../../sandbox/jobs/testing.ts';
import { licenses, loadDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let pool: IsolatePool;
let worker: JobWorker;
let bearer: Record<string, string>;

beforeAll(async () => {
  gw = await createTestGateway();
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 300, 'routes'), loadedBy: 'test' });
  pool = createIsolatePool({ size: 1 });
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT });
  bearer = await op.bearer();
});
afterAll(async () => {
  await pool?.close();
  await gw?.close();
});

const CODE = 'export function map(c) { return { keys: { sex: c.sex } }; }';
const job = (over: Record<string, unknown> = {}) => ({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: CODE, ...over });
const post = (body: unknown) => op.request('/operator/jobs', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const get = (path: string) => op.request(path, { headers: bearer });

describe('operator jobs', () => {
  it('submit → a worker runs it → the job succeeded and its checked result is released', async () => {
    const res = await post(job());
    expect(res.status).toBe(202);
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).toBe('queued');
    expect((await get(`/operator/jobs/${id}/result`)).status).toBe(404);
    expect(await worker.runOnce()).toBe(true);
    const shown = (await (await get(`/operator/jobs/${id}`)).json()) as { status: string; finishedAt: string | null };
    expect(shown).toMatchObject({ status: 'succeeded' });
    expect(shown.finishedAt).not.toBeNull();
    const result = await get(`/operator/jobs/${id}/result`);
    expect(result.status).toBe(200);
    const body = (await result.json()) as { result: { tables: { name: string }[] }; record: { outcome: string } };
    expect(body.result.tables[0]?.name).toBe('counts');
    expect(body.record.outcome).toBe('release');
    const list = (await (await get('/operator/jobs')).json()) as { items: { id: string }[] };
    expect(list.items.map((j) => j.id)).toContain(id);
    const audit = await gw.services.database.sql.query<{ action: string }>('select action from audit_log where resource = $1 order by seq', [`job:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.submitted', 'job.succeeded']);
  });

  it('refuses a field outside the licence (403, Cedar), saying which fields the licence lacks', async () => {
    const res = await post(job({ datasets: [{ code: 'population', fields: ['sex', 'name'] }] }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN', dataset: 'population', missingFields: ['name'] });
  });

  it('refuses, before anything runs, outputs a DP release cannot take: every problem listed (422)', async () => {
    const res = await post(job({ outputs: [{ name: 'm', kind: 'mean', measure: 'income', by: ['sex'] }, { name: 'n', kind: 'count', by: ['sex', 'x'], domain: { sex: ['男', '女'] } }] }));
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { problems: { output: string; problem: string }[] };
    expect(problem.problems.map((p) => p.output)).toEqual(['m', 'n']);
    expect(problem.problems[0]!.problem).toMatch(/bounds/);
    expect(problem.problems[1]!.problem).toMatch(/every dimension/);
  });

  it('refuses a platform-fitted model under a licence without the operation `model` (403, Cedar)', async () => {
    const res = await post(job({ outputs: [{ name: 'm', kind: 'logistic' }] }));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
  });

  it('charges the job\'s ρ at submission, refuses ε beyond what the licence has left (403 BUDGET_EXHAUSTED), and shows the gauge', async () => {
    const before = (await (await get('/operator/budget')).json()) as { items: { dataset: string; licence: { rhoSpent: number } }[] };
    const spentBefore = before.items[0]!.licence.rhoSpent;
    expect((await post(job({ privacy: { epsilon: 0.5 } }))).status).toBe(202);
    const after = (await (await get('/operator/budget')).json()) as { items: { dataset: string; licence: { rhoSpent: number }; datasetYear: { rhoSpent: number; year: number }; jobsLeftAtDefault: number }[] };
    // ρ(ε = 0.5, δ = 1e-8), charged to the licence and to the dataset's year alike
    expect(after.items[0]!.licence.rhoSpent - spentBefore).toBeCloseTo(rhoFromEpsilon(0.5), 8);
    expect(after.items[0]!.datasetYear.rhoSpent).toBeGreaterThanOrEqual(after.items[0]!.licence.rhoSpent - 1e-9);
    const cap = after.items[0]!;
    // drain the account to nearly nothing: the next job is refused and says which budget ran out
    await gw.services.database.db.update(budgetLedger).set({ rhoSpentNano: Math.round(((cap as unknown as { licence: { rhoTotal: number } }).licence.rhoTotal - 1e-4) * 1e9) }).where(eq(budgetLedger.licenseId, op.licenseId));
    const res = await post(job({ privacy: { epsilon: 0.5 } }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'BUDGET_EXHAUSTED', scope: 'licence', dataset: 'population' });
    const drained = (await (await get('/operator/budget')).json()) as { items: { jobsLeftAtDefault: number; licence: { used: number } }[] };
    expect(drained.items[0]!.jobsLeftAtDefault).toBe(0);
    expect(drained.items[0]!.licence.used).toBeGreaterThan(0.99);
  });

  it('refuses a job over the daily quota (429 with Retry-After)', async () => {
    // the tests above accepted some jobs today (and drained the budget): one more may go
    await gw.services.database.db.delete(budgetLedger).where(eq(budgetLedger.licenseId, op.licenseId));
    const [{ n }] = (await gw.services.database.sql.query<{ n: number }>('select count(*)::int as n from jobs where license_id = $1 and not dry_run', [op.licenseId])) as [{ n: number }];
    await gw.services.database.db.update(licenses).set({ maxJobsPerDay: n + 1 }).where(eq(licenses.id, op.licenseId));
    const second = await post(job());
    expect(second.status).toBe(202);
    const third = await post(job());
    expect(third.status).toBe(429);
    expect(((await third.json()) as { code: string }).code).toBe('QUOTA_EXCEEDED');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses staff on the operator routes (403)', async () => {
    const staff = await gw.login('security', PASSWORDS.security);
    const res = await gw.app.request('/operator/jobs', { method: 'POST', headers: { ...staff, 'content-type': 'application/json' }, body: JSON.stringify(job()) });
    expect(res.status).toBe(403);
  });

  it('refuses malformed jobs (422)', async () => {
    expect((await post(job({ code: '' }))).status).toBe(422);
    expect((await post(job({ dryRun: 'yes' }))).status).toBe(422);
    expect((await post(job({ outputs: [{ name: 'm', kind: 'probit' }] }))).status).toBe(422);
    expect((await post(job({ outputs: [{ name: 'm', kind: 'linear', features: [] }] }))).status).toBe(422);
  });

  it('does not show an unknown job (404)', async () => {
    expect((await get('/operator/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});
