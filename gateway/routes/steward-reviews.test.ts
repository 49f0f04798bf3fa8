// Human review: a release without DP ends in `review`; two different stewards of the dataset's department must
// approve (the operator then reads the result), one rejection ends it (the operator sees the reason); nobody decides
// twice, nobody decides what they submitted.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { budgetLedger, jobs } from '../../sandbox/jobs/schema.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../../sandbox/jobs/testing.ts';
import { appendAudit, loadDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let bearer: Record<string, string>;
let pool: IsolatePool;
let worker: JobWorker;
let police: Record<string, string>;
let police2: Record<string, string>;
let health: Record<string, string>;

const FREE_FORM = 'export function map(c) { return { keys: { sex: c.sex }, features: { income: c.annual_income } }; }';

beforeAll(async () => {
  gw = await createTestGateway();
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 300, 'reviews'), loadedBy: 'test' });
  pool = createIsolatePool({ size: 1 });
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT });
  bearer = await op.bearer();
  police = await gw.addStaff('police-steward', 'steward', '省公安厅');
  police2 = await gw.addStaff('police-steward-2', 'steward', '省公安厅');
  health = await gw.addStaff('health-steward', 'steward', '省卫健委');
});
afterAll(async () => {
  await pool?.close();
  await gw?.close();
});

async function jobInReview(body: Record<string, unknown> = {}): Promise<string> {
  const res = await op.request('/operator/jobs', {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }], code: FREE_FORM, privacy: { none: true, justification: 'exact counts for a statutory return' }, ...body }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect(await worker.runOnce()).toBe(true);
  expect((await (await op.request(`/operator/jobs/${id}`, { headers: bearer })).json()) as { status: string }).toMatchObject({ status: 'review' });
  return id;
}

interface Review {
  jobId: string;
  operatorId: string;
  departments: string[];
  record: { outcome: string; checks: { check: string; outcome: string }[] };
  output: { tables: { name: string }[] };
}
const reviews = async (as: Record<string, string>) => {
  const res = await gw.app.request('/steward/reviews', { headers: as });
  return { status: res.status, items: res.status === 200 ? ((await res.json()) as { items: Review[] }).items : [] };
};
const decide = (as: Record<string, string>, id: string, body: unknown) =>
  gw.app.request(`/steward/reviews/${id}/decision`, { method: 'POST', headers: { ...as, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const result = (id: string) => op.request(`/operator/jobs/${id}/result`, { headers: bearer });

describe('steward reviews', () => {
  it("lists a release without DP for its department's stewards; it leaves only after two of them approve, once", async () => {
    const id = await jobInReview();
    expect((await result(id)).status).toBe(404);
    const { items } = await reviews(police);
    const item = items.find((r) => r.jobId === id);
    expect(item).toMatchObject({ operatorId: op.id, departments: ['省公安厅'], dp: false, justification: 'exact counts for a statutory return', approvalsNeeded: 2, approvals: [] });
    expect(item!.record.checks.find((c) => c.check === 'human_review')?.outcome).toBe('applied');
    expect(item!.output.tables[0]?.name).toBe('counts');

    expect((await decide(police, id, { approve: true })).status).toBe(422);
    const first = await decide(police, id, { approve: true, reason: 'exact counts are needed; cells were suppressed' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ jobId: id, status: 'review', decision: 'approved', approvals: 1, approvalsNeeded: 2 });
    expect((await result(id)).status).toBe(404);
    // the same steward cannot be the second pair of eyes, and no longer sees it in the queue
    expect((await decide(police, id, { approve: true, reason: 'again' })).status).toBe(409);
    expect((await reviews(police)).items.map((r) => r.jobId)).not.toContain(id);
    expect((await reviews(police2)).items.find((r) => r.jobId === id)).toMatchObject({ approvals: [expect.objectContaining({ stewardId: expect.any(String) })] });
    const approved = await decide(police2, id, { approve: true, reason: 'agreed' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ jobId: id, status: 'succeeded', decision: 'approved', approvals: 2 });
    const released = await result(id);
    expect(released.status).toBe(200);
    expect(((await released.json()) as { result: { tables: { name: string }[] } }).result.tables[0]?.name).toBe('counts');

    // exactly once: a later decision, either way, is a conflict and changes nothing
    const chief = await gw.addStaff('late-steward', 'steward', '省公安厅');
    const again = await decide(chief, id, { approve: false, reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'CONFLICT', jobStatus: 'succeeded' });
    expect((await result(id)).status).toBe(200);
    expect((await reviews(police)).items.map((r) => r.jobId)).not.toContain(id);
    const audit = await gw.services.database.sql.query<{ action: string; outcome: string }>("select action, outcome from audit_log where resource = $1 and action like 'job.%' order by seq", [`job:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.submitted', 'job.review', 'job.review.approved', 'job.review.approved']);
  });

  it('a rejection ends the job rejected with the reason shown to the operator and no result', async () => {
    const id = await jobInReview();
    const rejected = await decide(police, id, { approve: false, reason: 'the features are row-level; use a platform-fitted model' });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: 'rejected', decision: 'rejected' });
    const shown = (await (await op.request(`/operator/jobs/${id}`, { headers: bearer })).json()) as { status: string; error: { code: string; reason: string } };
    expect(shown).toMatchObject({ status: 'rejected', error: { code: 'REVIEW_REJECTED' } });
    expect(shown.error.reason).toContain('use a platform-fitted model');
    expect((await result(id)).status).toBe(404);
    const [row] = await gw.services.database.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ reviewDecision: 'rejected', reviewReason: 'the features are row-level; use a platform-fitted model' });
    expect(row!.reviewedBy).not.toBeNull();
  });

  it('a steward of another department neither sees nor decides the job; security staff may not decide', async () => {
    const id = await jobInReview();
    expect((await reviews(health)).items.map((r) => r.jobId)).not.toContain(id);
    expect((await decide(health, id, { approve: true, reason: 'looks fine' })).status).toBe(403);
    const security = await gw.login('security', PASSWORDS.security);
    expect((await decide(security, id, { approve: true, reason: 'looks fine' })).status).toBe(403);
    expect((await (await op.request(`/operator/jobs/${id}`, { headers: bearer })).json()) as { status: string }).toMatchObject({ status: 'review' });
    // an all-department steward sees it
    const chief = await gw.addStaff('chief-steward', 'steward', null);
    expect((await reviews(chief)).items.map((r) => r.jobId)).toContain(id);
  });

  it('nobody reviews a job they submitted (Cedar submittedBy)', async () => {
    const id = await jobInReview();
    const submitter = await gw.addStaff('submitting-steward', 'steward', '省公安厅');
    const [staffRow] = await gw.services.database.sql.query<{ id: string }>("select id from staff_accounts where username = 'submitting-steward'");
    // a staff member as the submitter of record, as a staff submission path would audit it
    await gw.services.database.db.transaction((tx) => appendAudit(tx, { actor: { type: 'staff', id: staffRow!.id }, action: 'job.submitted', resource: `job:${id}`, outcome: 'ok' }));
    expect((await reviews(submitter)).items.map((r) => r.jobId)).not.toContain(id);
    expect((await decide(submitter, id, { approve: true, reason: 'mine, fine' })).status).toBe(403);
    expect((await decide(police, id, { approve: true, reason: 'second pair of eyes' })).status).toBe(200);
    expect((await decide(police2, id, { approve: true, reason: 'third pair of eyes' })).status).toBe(200);
  });

  it('deciding a job that is not in review is a conflict; an unknown job is not found; operators may not review', async () => {
    const res = await op.request('/operator/jobs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: 'export function map(c) { return { keys: { sex: c.sex } }; }' }),
    });
    const { id } = (await res.json()) as { id: string };
    expect((await decide(police, id, { approve: true, reason: 'queued still' })).status).toBe(409);
    await worker.runOnce();
    expect((await decide(police, id, { approve: false, reason: 'already released' })).status).toBe(409);
    expect((await decide(police, '00000000-0000-0000-0000-000000000000', { approve: true, reason: 'x' })).status).toBe(404);
    expect((await op.request('/steward/reviews', { headers: bearer })).status).toBe(403);
  });

  it('a release without DP charges no privacy budget, before or after approval', async () => {
    const spent = async () => (await gw.services.database.db.select().from(budgetLedger).where(eq(budgetLedger.licenseId, op.licenseId)))[0]?.rhoSpentNano ?? 0;
    const before = await spent();
    const id = await jobInReview();
    expect(await spent()).toBe(before);
    expect((await decide(police, id, { approve: true, reason: 'suppressed counts' })).status).toBe(200);
    expect((await decide(police2, id, { approve: true, reason: 'agreed' })).status).toBe(200);
    expect(await spent()).toBe(before);
  });
});
