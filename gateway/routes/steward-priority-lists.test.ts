import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPT_A, DEPT_B, fixtureItem, registerFixtureDatasets } from '../../catalog-open/priority-lists/testing.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let stewardA: Record<string, string>;
let stewardB: Record<string, string>;
let security: Record<string, string>;

function send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return gw.app.request(path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const listA = `/steward/priority-lists/2026/${DEPT_A.code}`;
const draftA = {
  items: [
    fixtureItem({ name: '开放数据甲', plannedDate: '2026-03-31', datasetCode: 'open_a', seq: 20 }),
    fixtureItem({ name: '计划数据乙', plannedDate: '2026-12-31', seq: 10 }),
  ],
};

beforeAll(async () => {
  gw = await createTestGateway();
  await registerFixtureDatasets(gw.testDb.database);
  stewardA = await gw.addStaff('steward_a', 'steward', DEPT_A.name);
  stewardB = await gw.addStaff('steward_b', 'steward', DEPT_B.name);
  security = await gw.login('security', PASSWORDS.security);
});
afterAll(() => gw.close());

async function audit(action: string) {
  return gw.testDb.database.sql.query<{ actor_id: string; resource: string; details: Record<string, unknown> | string }>(
    'select actor_id, resource, details from audit_log where action = $1 order by seq',
    [action],
  );
}

describe('steward priority lists', () => {
  it('saves a draft with seq ordered and renumbered, and audits it', async () => {
    const res = await send('PUT', listA, stewardA, draftA);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { department: string; items: { seq: number; name: string }[] };
    expect(body.department).toBe(DEPT_A.name);
    expect(body.items.map((i) => [i.seq, i.name])).toEqual([[1, '计划数据乙'], [2, '开放数据甲']]);
    const rows = await audit('priority_list.draft_saved');
    expect(rows.at(-1)).toMatchObject({ resource: `priority-list:2026/${DEPT_A.code}` });
  });

  it('refuses a steward of another department (403) and security staff (403), and changes nothing', async () => {
    expect((await send('PUT', listA, stewardB, { items: [] })).status).toBe(403);
    expect((await send('POST', `${listA}/publish`, stewardB, {})).status).toBe(403);
    expect((await send('PUT', listA, security, { items: [] })).status).toBe(403);
    const show = (await (await send('GET', listA, stewardA)).json()) as { draft: { items: unknown[] } };
    expect(show.draft.items).toHaveLength(2);
  });

  it('refuses bad items (422) naming the field, an unknown datasetCode (422), an unknown department (404), a bad year (400)', async () => {
    const bad = await send('PUT', listA, stewardA, { items: [{ ...draftA.items[0], openType: 'not_open' }] });
    expect(bad.status).toBe(422);
    const unknown = await send('PUT', listA, stewardA, { items: [fixtureItem({ name: 'x', plannedDate: '2026-01-01', datasetCode: 'nope' })] });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['items.0.datasetCode']);
    expect((await send('PUT', '/steward/priority-lists/2026/NO-SUCH-DEPT', stewardA, draftA)).status).toBe(404);
    expect((await send('PUT', `/steward/priority-lists/1899/${DEPT_A.code}`, stewardA, draftA)).status).toBe(400);
    expect((await send('GET', `/steward/priority-lists/abcd/${DEPT_A.code}`, stewardA)).status).toBe(400);
  });

  it('publishes version 1 without a note; the version row cannot be updated or deleted', async () => {
    const res = await send('POST', `${listA}/publish`, stewardA);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: 1, items: 2, changeNote: null });
    const db = gw.testDb.database.sql;
    await expect(db.query(`update priority_list_versions set department = 'x' where year = 2026`)).rejects.toThrow();
    await expect(db.query(`delete from priority_list_versions where year = 2026`)).rejects.toThrow();
    const [row] = await db.query<{ department: string }>('select department from priority_list_versions where year = 2026');
    expect(row!.department).toBe(DEPT_A.name);
    expect((await audit('priority_list.published')).at(-1)).toMatchObject({ resource: `priority-list:2026/${DEPT_A.code}` });
  });

  it('refuses to republish an unchanged draft (409); a correction needs a change note (422) and becomes version 2', async () => {
    expect((await send('POST', `${listA}/publish`, stewardA, { changeNote: '无变化' })).status).toBe(409);
    const corrected = { items: [...draftA.items, fixtureItem({ name: '补充数据丙', plannedDate: '2026-01-31', seq: 30 })] };
    expect((await send('PUT', listA, stewardA, corrected)).status).toBe(200);
    const noNote = await send('POST', `${listA}/publish`, stewardA, {});
    expect(noNote.status).toBe(422);
    expect(((await noNote.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('changeNote');
    const v2 = await send('POST', `${listA}/publish`, stewardA, { changeNote: '增补一项' });
    expect(v2.status).toBe(201);
    expect(await v2.json()).toMatchObject({ version: 2, items: 3, changeNote: '增补一项' });
    const detail = (await (await send('GET', listA, stewardA)).json()) as { versions: { version: number; items: { name: string; status: string; link: string | null }[] }[] };
    expect(detail.versions.map((v) => [v.version, v.items.length])).toEqual([[1, 2], [2, 3]]);
    const opened = detail.versions[1]!.items.find((i) => i.name === '开放数据甲')!;
    expect(opened).toMatchObject({ status: 'opened', link: '/open/datasets/open_a' });
    const summary = (await (await send('GET', '/steward/priority-lists?year=2026', security)).json()) as { items: { departmentCode: string; latestVersion: number }[] };
    expect(summary.items).toEqual([expect.objectContaining({ departmentCode: DEPT_A.code, latestVersion: 2 })]);
  });

  it('two simultaneous publications of one draft yield one version and one 409', async () => {
    const list = `/steward/priority-lists/2027/${DEPT_A.code}`;
    expect((await send('PUT', list, stewardA, draftA)).status).toBe(200);
    const statuses = await Promise.all([send('POST', `${list}/publish`, stewardA), send('POST', `${list}/publish`, stewardA)]);
    expect(statuses.map((r) => r.status).sort()).toEqual([201, 409]);
    const [n] = await gw.testDb.database.sql.query<{ n: number }>('select count(*)::int as n from priority_list_versions where year = 2027');
    expect(n!.n).toBe(1);
  });

  it('401 without a token', async () => {
    expect((await gw.app.request('/steward/priority-lists')).status).toBe(401);
  });
});

const OPEN_B = {
  code: 'open_b',
  name: '测试数据 open_b',
  description: 'fixture',
  sourceSystem: 'test',
  updateCycle: 'monthly' as const,
  grade: 'general' as const,
  openType: 'unconditional' as const,
  fields: [{ name: 'n', type: 'integer' as const, description: 'a number', nullable: false, sensitivity: 'none' as const }],
};

describe('demand signals', () => {
  beforeAll(async () => {
    const sql = gw.testDb.database.sql;
    const app = (id: string, code: string, dept: string, status: string) =>
      sql.query(
        `insert into applications (id, dataset_code, fields, department_code, applicant, purpose, duration_days, commitment_accepted_at, status_token_hash, status)
         values ($1, $2, '["n"]', $3, '{"type":"person","name":"x","contact":{"email":"x@example.org"}}', 'p', 30, now(), 'h', $4)`,
        [id, code, dept, status],
      );
    await app('a1', 'closed_a', DEPT_A.code, 'approved');
    await app('a2', 'closed_a', DEPT_A.code, 'rejected');
    await app('a3', 'closed_a', DEPT_A.code, 'rejected');
    await app('a4', 'cond_b', DEPT_B.code, 'pending');
    const job = (id: string, operator: string, datasets: unknown) =>
      sql.query(
        `insert into jobs (id, operator_id, license_id, datasets, code, code_sha256, params, operation) values ($1, $2, 'l', $3::jsonb, 'x', 'h', '{}', 'aggregate')`,
        [id, operator, JSON.stringify(datasets)],
      );
    await job('j1', 'op1', [{ code: 'closed_a', fields: ['n'] }]);
    await job('j2', 'op2', [{ code: 'closed_a', fields: ['n'] }, { code: 'open_a', fields: ['n'] }]);
    await job('j3', 'op1', [{ code: 'cond_b', fields: [] }]);
    await sql.query(`insert into download_counts (dataset_code, day, format, count) values ('open_a', '2026-01-01', 'csv', 5), ('open_a', '2026-01-02', 'xlsx', 2)`);
    // open, loaded and much downloaded, but on no list: open already, so never "not yet open"
    await registerDataset(gw.testDb.database.db, { ...OPEN_B, departmentCode: DEPT_B.code, department: DEPT_B.name });
    await loadDataset(gw.testDb.database, { code: 'open_b', format: 'csv', body: Readable.from([Buffer.from('n\n1\n')]), loadedBy: 'test' });
    await sql.query(`insert into download_counts (dataset_code, day, format, count) values ('open_b', '2026-01-01', 'csv', 500)`);
    await sql.query(
      `insert into feedback (id, dataset_code, department_code, kind, message, status) values ('f1', 'open_a', $1, 'wrong', 'm', 'open'), ('f2', 'open_a', $1, 'stale', 'm', 'resolved')`,
      [DEPT_A.code],
    );
  });

  it('counts applications, jobs and fields, downloads and feedback per dataset, and ranks the not-yet-open', async () => {
    const res = await send('GET', '/steward/priority-lists/demand', stewardB);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; mostDemandedNotOpen: { datasetCode: string; score: number }[] };
    const by = Object.fromEntries(body.items.map((i) => [i.datasetCode as string, i]));
    expect(by.closed_a).toMatchObject({
      applications: { approved: 1, rejected: 2, pending: 0 },
      jobs: { total: 2, operators: 2, fields: [{ field: 'n', jobs: 2 }] },
      downloads: 0,
      feedback: { total: 0, open: 0 },
      listed: false,
      score: 13,
    });
    expect(by.open_a).toMatchObject({ applications: { approved: 0, rejected: 0, pending: 0 }, jobs: { total: 1, operators: 1 }, downloads: 7, feedback: { total: 2, open: 1 }, listed: true, score: 7 });
    expect(by.cond_b).toMatchObject({ applications: { pending: 1 }, jobs: { total: 1, fields: [] }, listed: false, score: 5 });
    // open_a (listed) and open_b (on no list, most downloaded) are open: not in the "not yet open" view
    expect(by.open_b).toMatchObject({ listed: false, loaded: true, openType: 'unconditional' });
    expect(body.mostDemandedNotOpen.map((s) => s.datasetCode)).toEqual(['closed_a', 'cond_b']);
    const onlyB = (await (await send('GET', `/steward/priority-lists/demand?department=${DEPT_B.code}`, stewardA)).json()) as { items: { datasetCode: string }[] };
    expect(onlyB.items.map((i) => i.datasetCode)).toEqual(['cond_b', 'open_b']);
    // beside the candidate items of a department's list
    const detail = (await (await send('GET', listA, stewardA)).json()) as { demand: { datasetCode: string; score: number }[] };
    expect(detail.demand.map((d) => [d.datasetCode, d.score])).toEqual([['closed_a', 13], ['open_a', 7]]);
  });
});
