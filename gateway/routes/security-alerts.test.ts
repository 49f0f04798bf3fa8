// High-risk alerts driven through the real paths: jobs run by a worker, refused submissions, refused sign-ins; then
// security staff list, filter and acknowledge them over HTTP, and a steward may not.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeUscc, generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { jobs } from '../../sandbox/jobs/schema.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../../sandbox/jobs/testing.ts';
import { licenses, loadDataset, operators } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let security: Record<string, string>;
let pool: IsolatePool;
let worker: JobWorker;
let n = 0;

interface Alert {
  id: string;
  kind: string;
  severity: string;
  status: string;
  operatorId: string | null;
  jobId: string | null;
  summary: string;
  details: Record<string, unknown>;
  suspendedOperator: string | null;
  notes: { note: string; status: string; by: string }[];
}

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  await createTestOperator(gw, security); // registers population
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 300, 'alerts'), loadedBy: 'test' });
  pool = createIsolatePool({ size: 1 });
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT });
});
afterAll(async () => {
  await pool?.close();
  await gw?.close();
});

/** A fresh operator (own USCC), so one test's suspension does not leak into another. */
async function freshOperator(): Promise<{ op: TestOperator; bearer: Record<string, string> }> {
  n += 1;
  const op = await createTestOperator(gw, security, composeUscc('91', '330100', `A${String(n).padStart(7, '0')}`));
  return { op, bearer: await op.bearer() };
}

const submit = (op: TestOperator, bearer: Record<string, string>, body: Record<string, unknown>) =>
  op.request('/operator/jobs', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], ...body }) });

async function runJob(op: TestOperator, bearer: Record<string, string>, code: string, extra: Record<string, unknown> = {}): Promise<{ id: string; status: string; error?: { code: string; reason: string } }> {
  const res = await submit(op, bearer, { code, ...extra });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect(await worker.runOnce()).toBe(true);
  const [row] = await gw.services.database.db.select().from(jobs).where(eq(jobs.id, id));
  return { id, status: row!.status, ...(row!.errorCode ? { error: { code: row!.errorCode, reason: row!.errorReason ?? '' } } : {}) };
}

async function alerts(query = '', as = security): Promise<{ status: number; items: Alert[]; nextCursor: string | null }> {
  const res = await gw.app.request(`/security/alerts${query}`, { headers: as });
  const body = (await res.json()) as { items: Alert[]; nextCursor: string | null };
  return { status: res.status, items: body.items ?? [], nextCursor: body.nextCursor ?? null };
}

const operatorStatus = async (id: string) => (await gw.services.database.db.select({ s: operators.status }).from(operators).where(eq(operators.id, id)))[0]?.s;

describe('high-risk alerts', () => {
  it('a job touching removed globals fails, raises a critical escape-attempt alert and suspends its operator', async () => {
    const { op, bearer } = await freshOperator();
    const job = await runJob(op, bearer, 'export function map(c) { const m = new WebAssembly.Memory({ initial: 1 }); return { keys: { sex: c.sex } }; }');
    expect(job).toMatchObject({ status: 'failed', error: { code: 'RUNTIME_ERROR' } });
    expect(job.error?.reason).toMatch(/^ReferenceError thrown/);
    const { items } = await alerts(`?kind=escape-attempt&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ severity: 'critical', status: 'open', jobId: job.id, suspendedOperator: op.id, details: { probed: ['WebAssembly'] } });
    expect(await operatorStatus(op.id)).toBe('suspended');
    // the operator's live token stops at once
    expect((await op.request('/operator/jobs', { headers: bearer })).status).toBe(403);
    const audit = await gw.services.database.sql.query<{ action: string }>("select action from audit_log where action in ('alert.raised', 'whitelist.operator.suspended') and details::text like $1 order by seq", [`%${job.id}%`]);
    expect(audit.map((a) => a.action)).toContain('alert.raised');
  });

  it('a dry run touching removed globals raises the alert but suspends nobody', async () => {
    const { op, bearer } = await freshOperator();
    const job = await runJob(op, bearer, 'export function map(c) { const m = new WebAssembly.Memory({ initial: 1 }); return { keys: { sex: c.sex } }; }', { dryRun: true });
    expect(job.status).toBe('failed');
    const { items } = await alerts(`?kind=escape-attempt&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ suspendedOperator: null, details: { dryRun: true } });
    expect(await operatorStatus(op.id)).toBe('active');
  });

  it('the JSDoc import() line every example carries is not a probe, even when the model fails', async () => {
    const { op, bearer } = await freshOperator();
    const job = await runJob(op, bearer, "// @ts-check\n/** @type {import('./model-api').MapFunction} */\nexport function map(c) { const x = null; return { keys: { sex: x.sex } }; }");
    expect(job.status).toBe('failed');
    expect((await alerts(`?operator=${op.id}`)).items).toHaveLength(0);
    expect(await operatorStatus(op.id)).toBe('active');
  });

  it('probing process also counts; an honest runtime error does not', async () => {
    const { op, bearer } = await freshOperator();
    const honest = await runJob(op, bearer, 'export function map(c) { const x = null; return { keys: { sex: x.sex } }; }');
    expect(honest).toMatchObject({ status: 'failed', error: { code: 'RUNTIME_ERROR' } });
    expect((await alerts(`?operator=${op.id}`)).items).toHaveLength(0);
    const probe = await runJob(op, bearer, 'export function map(c) { const env = process.env; return { keys: { sex: c.sex } }; }');
    expect(probe.status).toBe('failed');
    const { items } = await alerts(`?operator=${op.id}`);
    expect(items.map((a) => [a.kind, a.details.probed])).toEqual([['escape-attempt', ['process']]]);
  });

  it('a job whose every row carries a label of its own releases none of those labels (DP partition selection)', async () => {
    const { op, bearer } = await freshOperator();
    const code = `export function map(c, p, info) {
      const a = [];
      for (let i = 0; i < info.rowCount; i++) a.push('row-' + c.sex.codes[i] + '-' + i);
      return { keys: { a } };
    }`;
    const job = await runJob(op, bearer, code, { privacy: undefined });
    // the row index makes the labels differ between the platform's runs: the preflight on synthetic rows says so, in
    // full and for free, before any real row is read — an honest mistake costs nothing and suspends nobody
    expect(job).toMatchObject({ status: 'failed', error: { code: 'NOT_ROW_LOCAL' } });
    expect(await operatorStatus(op.id)).toBe('active');
    // packing a row's own values into its label is row-local, and selection shows none of them
    const { op: op2, bearer: bearer2 } = await freshOperator();
    const packed = await runJob(op2, bearer2, `export function map(c) { return { keys: { a: Array.from(c.sex.codes, (s, i) => 'sex=' + s + ',income=' + c.annual_income[i]) } }; }`, { datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }] });
    expect(packed.status).toBe('succeeded');
    const result = (await (await op2.request(`/operator/jobs/${packed.id}/result`, { headers: bearer2 })).json()) as { result: { tables: { cells: { labels: string[] }[] }[] } };
    // incomes are masked to the nearest 1,000, so a few (sex, income) pairs are shared by many: only those may show
    for (const cell of result.result.tables[0]!.cells) expect(cell.labels[0]).toMatch(/^sex=[01],income=(\d+|NaN)$/);
    expect(result.result.tables[0]!.cells.length).toBeLessThan(10);
  });

  it('a release without DP differing from an earlier one by one person has cells withheld and raises differencing', async () => {
    const { op, bearer } = await freshOperator();
    const none = { privacy: { none: true, justification: 'exact counts are needed for the audit' }, datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }] };
    const all = await runJob(op, bearer, "export function map(c) { return { keys: { g: Array.from(c.sex.codes, () => 'all') } }; }", none);
    expect(all.status).toBe('review');
    // the top income (masked to the nearest 1,000) is held by one person: leaving that value out is row-local
    const [{ table }] = (await gw.services.database.sql.query<{ table: string }>("select physical_table as table from dataset_versions where dataset_code = 'population' order by version desc limit 1")) as [{ table: string }];
    const top = await gw.services.database.sql.query<{ v: number; n: number }>(`select round(annual_income / 1000) * 1000 as v, count(*)::int as n from ${table} where annual_income is not null group by 1 order by 1 desc limit 1`);
    expect(top[0]!.n).toBeLessThan(5);
    const lessOne = await runJob(
      op,
      bearer,
      `export function map(c) { const rows = []; for (let i = 0; i < c.sex.codes.length; i++) if (c.annual_income[i] !== ${Number(top[0]!.v)}) rows.push(i); return { rows, keys: { g: rows.map(() => 'all') } }; }`,
      none,
    );
    expect(lessOne.status).toBe('review');
    const { items } = await alerts(`?kind=differencing&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ severity: 'high', jobId: lessOne.id });
    const [stored] = await gw.services.database.sql.query<{ record: { checks: { check: string; outcome: string }[] } }>('select record from job_results where job_id = $1', [lessOne.id]);
    expect(stored!.record.checks.find((c) => c.check === 'differencing')?.outcome).toBe('applied');
  });

  it('repeated refused submissions raise repeated-refusals at the threshold and suspend the operator; its next call is refused', async () => {
    const { op, bearer } = await freshOperator();
    for (let i = 0; i < 9; i++) expect((await submit(op, bearer, { code: 'export function map(c) { return { keys: { x: c.name } }; }', datasets: [{ code: 'population', fields: ['name'] }] })).status).toBe(403);
    expect((await alerts(`?operator=${op.id}`)).items).toHaveLength(0);
    expect(await operatorStatus(op.id)).toBe('active');
    expect((await submit(op, bearer, { code: 'export function map(c) { return { keys: { x: c.name } }; }', datasets: [{ code: 'population', fields: ['name'] }] })).status).toBe(403);
    const { items } = await alerts(`?kind=repeated-refusals&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ severity: 'high', suspendedOperator: op.id, details: { refusedSubmissions: 10, refusedReleases: 0 } });
    const next = await submit(op, bearer, { code: 'export function map(c) { return { keys: { sex: c.sex } }; }' });
    expect(next.status).toBe(403);
    expect(((await next.json()) as { detail: string }).detail).toMatch(/suspended/);
  });

  it('bursts over the daily quota raise burst without suspending', async () => {
    const { op, bearer } = await freshOperator();
    await gw.services.database.db.update(licenses).set({ maxJobsPerDay: 0 }).where(eq(licenses.id, op.licenseId));
    for (let i = 0; i < 5; i++) expect((await submit(op, bearer, { code: 'export function map(c) { return { keys: { sex: c.sex } }; }' })).status).toBe(429);
    const { items } = await alerts(`?kind=burst&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ severity: 'medium', suspendedOperator: null, details: { refusals: 5 } });
    // one alert per window, not one per refusal
    expect((await submit(op, bearer, { code: 'export function map(c) { return { keys: { sex: c.sex } }; }' })).status).toBe(429);
    expect((await alerts(`?kind=burst&operator=${op.id}`)).items).toHaveLength(1);
    expect(await operatorStatus(op.id)).toBe('active');
  });

  it('repeated failed sign-ins from one address raise auth-failures (no password, no username in it)', async () => {
    const ip = '198.51.100.23';
    for (let i = 0; i < 10; i++) {
      const res = await gw.app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody${i}`, password: 'secret-guess-1' }) }, { incoming: { socket: { remoteAddress: ip } } });
      expect(res.status).toBe(401);
    }
    const { items } = await alerts('?kind=auth-failures');
    const mine = items.filter((a) => a.details.ip === ip);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ severity: 'high', operatorId: null, details: { failures: 10 } });
    expect(JSON.stringify(mine)).not.toMatch(/secret-guess|nobody/);
  });

  it('repeated bad client assertions for one operator raise auth-failures naming the operator', async () => {
    const { op } = await freshOperator();
    const other = await createTestOperator(gw, security, composeUscc('91', '330100', 'B0000001'));
    for (let i = 0; i < 10; i++) {
      const res = await op.tokenRequest(
        { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await op.assertion({ key: other.privateKey }) },
        `192.0.2.${i + 1}`,
      );
      expect(res.status).toBe(401);
    }
    const { items } = await alerts(`?kind=auth-failures&operator=${op.id}`);
    expect(items).toHaveLength(1);
    expect(items[0]!.details).toMatchObject({ operatorId: op.id, failures: 10 });
  });

  it('security staff filter, page, acknowledge and resolve alerts, and may suspend the operator with the note', async () => {
    const page = await alerts('?limit=2');
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const rest = await alerts(`?limit=100&cursor=${page.nextCursor}`);
    expect(rest.items.map((a) => a.id)).not.toContain(page.items[0]!.id);
    expect((await alerts('?severity=critical')).items.every((a) => a.severity === 'critical')).toBe(true);
    expect((await alerts('?status=bogus')).status).toBe(400);
    expect((await alerts('?cursor=bm9wZQ')).status).toBe(400);

    const [burst] = (await alerts('?kind=burst')).items;
    const ack = (body: unknown) => gw.app.request(`/security/alerts/${burst!.id}/ack`, { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await ack({})).status).toBe(422);
    const acked = await ack({ note: 'looking into it' });
    expect(acked.status).toBe(200);
    expect(await acked.json()).toMatchObject({ status: 'acknowledged', notes: [{ note: 'looking into it', status: 'acknowledged' }] });
    const resolved = await ack({ note: 'talked to the operator; suspended until further notice', status: 'resolved', suspendOperator: true });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', suspendedOperator: burst!.operatorId });
    expect(await operatorStatus(burst!.operatorId!)).toBe('suspended');
    expect((await ack({ note: 'again' })).status).toBe(409);
    expect((await alerts('?status=resolved')).items.map((a) => a.id)).toContain(burst!.id);
    const audit = await gw.services.database.sql.query<{ action: string }>('select action from audit_log where resource = $1 order by seq', [`alert:${burst!.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['alert.raised', 'alert.acknowledged', 'alert.resolved']);
    expect((await gw.app.request('/security/alerts/nope/ack', { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x' }) })).status).toBe(404);
  });

  it('a steward may not list or acknowledge alerts; an operator may not either', async () => {
    const steward = await gw.addStaff('alert-steward', 'steward', null);
    expect((await alerts('', steward)).status).toBe(403);
    const [any] = (await alerts()).items;
    const res = await gw.app.request(`/security/alerts/${any!.id}/ack`, { method: 'POST', headers: { ...steward, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x' }) });
    expect(res.status).toBe(403);
    const { op, bearer } = await freshOperator();
    expect((await op.request('/security/alerts', { headers: bearer })).status).toBe(403);
  });
});
