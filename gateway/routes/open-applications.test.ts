import { eq } from 'drizzle-orm';
import { applicationCounts } from '../../catalog-open/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { getDataset, licenses, listAudit, registerDataset, schema } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, VALID_USCC, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let security: Record<string, string>;
let marketSteward: Record<string, string>;
let healthSteward: Record<string, string>;
let op: TestOperator;

const MARKET = DATASETS.legal_persons.definition.department;
/** valid GB 32100 codes: the test operator's, and one no operator holds */
const UNREGISTERED_USCC = '91110000600037341L';

const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  gw.app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const person = { type: 'person', name: '王五', contact: { email: 'wangwu@example.com' } };
const organization = (uscc: string) => ({ type: 'organization', name: '某某数据科技有限公司', uscc, contact: { email: 'ops@example.com', phone: '0571-88880000' } });

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicant: person,
    purpose: '研究本省小微企业行业分布与存续情况',
    dataset: 'legal_persons',
    fields: ['uscc', 'name', 'industry_code', 'established_date'],
    durationDays: 30,
    acceptCommitment: true,
    ...overrides,
  };
}

async function submit(body: unknown): Promise<{ id: string; statusToken: string }> {
  const res = await send('POST', '/open/applications', {}, body);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; statusToken: string };
}

const status = (id: string, token?: string) => gw.app.request(`/open/applications/${id}`, { headers: token === undefined ? {} : { 'x-status-token': token } });
const decide = (id: string, headers: Record<string, string>, body: unknown) => send('POST', `/steward/applications/${id}/decision`, headers, body);
const licenceCount = async () => (await gw.services.database.db.select({ id: licenses.id }).from(licenses)).length;

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  const db = gw.services.database.db;
  await registerDataset(db, DATASETS.legal_persons.definition);
  await registerDataset(db, DATASETS.credit_dishonest.definition);
  await registerDataset(db, DATASETS.health_visits.definition);
  marketSteward = await gw.addStaff('market_steward', 'steward', MARKET);
  healthSteward = await gw.addStaff('health_steward', 'steward', '卫生健康委员会');
  op = await createTestOperator(gw, security, VALID_USCC);
});
afterAll(() => gw.close());

describe('conditional-open applications', () => {
  it('runs submit → status → approve → approved with expiresAt and a download next step', async () => {
    const { id, statusToken } = await submit(application());
    expect(id).toMatch(/^app_/);
    expect(Buffer.from(statusToken, 'base64url')).toHaveLength(32);
    // only the hash is stored
    const [row] = await gw.services.database.db.select().from(schema.applications).where(eq(schema.applications.id, id));
    expect(row!.statusTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(statusToken);

    const pending = await status(id, statusToken);
    expect(pending.status).toBe(200);
    expect(await pending.json()).toMatchObject({ id, status: 'pending', access: 'download', expiresAt: null, next: { action: 'wait' } });

    const before = Date.now();
    const decided = await decide(id, marketSteward, { approve: true, reason: '用途正当，字段最小必要' });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ id, status: 'approved', decisionReason: '用途正当，字段最小必要', licenseId: null });

    const approved = (await (await status(id, statusToken)).json()) as Record<string, any>;
    expect(approved).toMatchObject({ status: 'approved', decisionReason: '用途正当，字段最小必要', expired: false, next: { action: 'download' } });
    const expires = Date.parse(approved.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 1000);
    expect(approved.next.url).toBe('/open/datasets/legal_persons/download?format=csv&fields=uscc,name,industry_code,established_date');
    expect(Object.keys(approved.next.headers)).toEqual(['X-Application-Id', 'X-Status-Token']);
    expect(approved.next.headers['X-Application-Id']).toBe(id);
    expect(JSON.stringify(approved)).not.toContain(statusToken);
  });

  it('answers 404 for a wrong, missing or foreign token and for an unknown id alike', async () => {
    const a = await submit(application());
    const b = await submit(application());
    for (const res of [await status(a.id, 'x'.repeat(43)), await status(a.id), await status(a.id, b.statusToken), await status('app_00000000-0000-0000-0000-000000000000', a.statusToken)]) {
      expect(res.status).toBe(404);
      expect(((await res.json()) as { detail: string }).detail).toBe('no application with this id and status token');
    }
  });

  it('accepts the API.md shape with one dataset and refuses several in one application', async () => {
    const one = await send('POST', '/open/applications', {}, application({ dataset: undefined, fields: undefined, datasets: [{ code: 'legal_persons', fields: ['name'] }] }));
    expect(one.status).toBe(201);
    const two = await send('POST', '/open/applications', {}, application({
      dataset: undefined,
      fields: undefined,
      datasets: [{ code: 'legal_persons', fields: ['name'] }, { code: 'credit_dishonest', fields: ['name'] }],
    }));
    expect(two.status).toBe(422);
    expect(JSON.stringify(await two.json())).toContain('one dataset per application');
  });

  it('refuses bad bodies with 422 and the issues', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [application({ acceptCommitment: false }), 'acceptCommitment'],
      [application({ applicant: organization('91350100M000100Y44') }), 'applicant.uscc'],
      [application({ applicant: { type: 'organization', name: '无代码公司', contact: { email: 'a@b.cn' } } }), 'applicant.uscc'],
      [application({ applicant: { type: 'robot', name: 'x', contact: { email: 'a@b.cn' } } }), 'applicant.type'],
      [application({ durationDays: 0 }), 'durationDays'],
      [application({ fields: ['no_such_field'] }), 'fields.0'],
      [application({ fields: [] }), 'fields'],
      [application({ dataset: undefined }), 'dataset'],
      [application({ ipAllowlist: ['10.0.0.0/8'] }), 'ipAllowlist'],
      [application({ access: 'sandbox', ipAllowlist: ['10.0.0.0/99'] }), 'ipAllowlist.0'],
    ];
    for (const [body, path] of cases) {
      const res = await send('POST', '/open/applications', {}, body);
      expect(res.status, path).toBe(422);
      const problem = (await res.json()) as { code: string; issues: { path: string }[] };
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('sends unconditional data to the download, and 404s not-open and unknown datasets alike', async () => {
    const open = await send('POST', '/open/applications', {}, application({ dataset: 'credit_dishonest', fields: ['name'] }));
    expect(open.status).toBe(422);
    expect(((await open.json()) as { detail: string }).detail).toContain('download it directly');
    // not_open data is never shown to the public: it answers exactly like an unknown code
    const closed = await send('POST', '/open/applications', {}, application({ dataset: 'health_visits', fields: ['visit_date'] }));
    const unknown = await send('POST', '/open/applications', {}, application({ dataset: 'no_such_dataset', fields: ['visit_date'] }));
    expect([closed.status, unknown.status]).toEqual([404, 404]);
    const strip = ({ requestId: _, ...p }: Record<string, unknown>) => p;
    expect(strip((await closed.json()) as Record<string, unknown>)).toEqual(strip((await unknown.json()) as Record<string, unknown>));
  });

  it('lets only a steward of the providing department decide, and only once', async () => {
    const { id } = await submit(application());
    const foreign = await decide(id, healthSteward, { approve: true, reason: '同意' });
    expect(foreign.status).toBe(403);
    expect(await gw.login('security', PASSWORDS.security).then((h) => decide(id, h, { approve: true, reason: '同意' })).then((r) => r.status)).toBe(403);
    const refused = await decide(id, marketSteward, { approve: false, reason: '用途与申请字段不符' });
    expect(refused.status).toBe(200);
    const again = await decide(id, marketSteward, { approve: true, reason: '改为同意' });
    expect(again.status).toBe(409);
    const noReason = await decide((await submit(application())).id, marketSteward, { approve: true });
    expect(noReason.status).toBe(422);
    expect((await decide('app_00000000-0000-0000-0000-000000000000', marketSteward, { approve: true, reason: '同意' })).status).toBe(404);
  });

  it('lets exactly one of two simultaneous decisions through', async () => {
    const { id } = await submit(application());
    const results = await Promise.all([
      decide(id, marketSteward, { approve: true, reason: '同意' }),
      decide(id, marketSteward, { approve: false, reason: '不同意' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const decisions = (await listAudit(gw.services.database.db, { resource: `application:${id}` }, { limit: 10 })).items.filter((e) => e.action.startsWith('open.application.') && e.action !== 'open.application.submitted');
    expect(decisions).toHaveLength(1);
  });

  it("lists only the steward's department's applications, filtered by status", async () => {
    const { id } = await submit(application());
    const mine = (await (await send('GET', '/steward/applications?status=pending', marketSteward)).json()) as { items: { id: string; status: string; applicant: unknown }[] };
    expect(mine.items.map((i) => i.id)).toContain(id);
    expect(mine.items.every((i) => i.status === 'pending')).toBe(true);
    expect(mine.items[0]!.applicant).toMatchObject({ type: 'person' });
    const theirs = (await (await send('GET', '/steward/applications', healthSteward)).json()) as { items: unknown[] };
    expect(theirs.items).toEqual([]);
    const page = (await (await send('GET', '/steward/applications?limit=1', marketSteward)).json()) as { items: { id: string }[]; nextCursor: string };
    expect(page.items).toHaveLength(1);
    const next = (await (await send('GET', `/steward/applications?limit=1&cursor=${page.nextCursor}`, marketSteward)).json()) as { items: { id: string }[] };
    expect(next.items[0]!.id).not.toBe(page.items[0]!.id);
    expect((await send('GET', '/steward/applications?status=maybe', marketSteward)).status).toBe(400);
    expect((await send('GET', '/steward/applications?cursor=bm9wZQ', marketSteward)).status).toBe(400);
    expect((await gw.app.request('/steward/applications')).status).toBe(401);
  });

  it('compiles a sandbox approval into a licence the operator then uses', async () => {
    const { id, statusToken } = await submit(application({ applicant: organization(VALID_USCC), access: 'sandbox', fields: ['industry_code', 'registered_capital', 'region_code'] }));
    const decided = await decide(id, marketSteward, { approve: true, reason: '仅限沙箱内统计分析' });
    expect(decided.status).toBe(200);
    const view = (await decided.json()) as { licenseId: string; expiresAt: string; access: string };
    expect(view.access).toBe('sandbox');
    expect(view.licenseId).toMatch(/^lic_/);

    const [licence] = await gw.services.database.db.select().from(licenses).where(eq(licenses.id, view.licenseId));
    expect(licence).toMatchObject({
      operatorId: op.id,
      status: 'active',
      datasets: [{ code: 'legal_persons', fields: ['industry_code', 'registered_capital', 'region_code'], operations: ['aggregate'] }],
      ipAllowlist: ['0.0.0.0/0'],
    });
    expect(licence!.validTo.toISOString()).toBe(view.expiresAt);
    expect(licence!.privacyEpsilon).toBeGreaterThan(0);

    const mine = (await (await status(id, statusToken)).json()) as { next: { action: string; licenseId: string } };
    expect(mine.next).toMatchObject({ action: 'sandbox', licenseId: view.licenseId });

    const granted = await op.request('/operator/datasets', { headers: await op.bearer() });
    expect(granted.status).toBe(200);
    const items = ((await granted.json()) as { items: { licenseId: string; code: string; fields: { name: string }[] }[] }).items;
    const entry = items.find((i) => i.licenseId === view.licenseId);
    expect(entry?.code).toBe('legal_persons');
    expect(entry?.fields.map((f) => f.name).sort()).toEqual(['industry_code', 'region_code', 'registered_capital']);

    const audit = await listAudit(gw.services.database.db, { action: 'whitelist.license.granted' }, { limit: 50 });
    expect(audit.items.find((e) => e.resource === `license:${view.licenseId}`)?.details).toMatchObject({ applicationId: id, operatorId: op.id });
  });

  it('refuses a sandbox approval without a matching active operator, writing nothing', async () => {
    const { id } = await submit(application({ applicant: organization(UNREGISTERED_USCC), access: 'sandbox', fields: ['industry_code'] }));
    const before = await licenceCount();
    const res = await decide(id, marketSteward, { approve: true, reason: '同意' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toContain('whitelisted');
    expect(await licenceCount()).toBe(before);
    const [row] = await gw.services.database.db.select().from(schema.applications).where(eq(schema.applications.id, id));
    expect(row).toMatchObject({ status: 'pending', decidedAt: null, licenseId: null, expiresAt: null });
    const audit = await listAudit(gw.services.database.db, { resource: `application:${id}` }, { limit: 10 });
    // the refused decision itself is audited (authz.*), the change is not
    expect(audit.items.map((e) => e.action).filter((a) => !a.startsWith('authz.'))).toEqual(['open.application.submitted']);
    expect(audit.items.some((e) => e.action === 'authz.approve_application' && e.outcome === 'allow')).toBe(true);
    // a person can never hold a licence: refused at submission
    const personal = await send('POST', '/open/applications', {}, application({ access: 'sandbox', fields: ['industry_code'] }));
    expect(personal.status).toBe(422);
    expect(((await personal.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('applicant.type');
    // refusing needs no operator
    expect((await decide(id, marketSteward, { approve: false, reason: '申请人尚未入驻白名单' })).status).toBe(200);
  });

  it('audits submission without personal data, and the decision by the steward', async () => {
    const { id, statusToken } = await submit(application({ applicant: organization(VALID_USCC) }));
    await decide(id, marketSteward, { approve: true, reason: '同意开放' });
    const entries = (await listAudit(gw.services.database.db, { resource: `application:${id}` }, { limit: 10 })).items;
    const submitted = entries.find((e) => e.action === 'open.application.submitted')!;
    expect(submitted.actor).toEqual({ type: 'public', id: null });
    expect(submitted.details).toEqual({ applicationId: id, dataset: 'legal_persons' });
    const text = JSON.stringify(entries);
    for (const secret of [statusToken, VALID_USCC, 'ops@example.com', '某某数据科技有限公司', '研究本省']) expect(text).not.toContain(secret);
    const approved = entries.find((e) => e.action === 'open.application.approved')!;
    expect(approved.actor.type).toBe('staff');
    expect(approved.details).toMatchObject({ applicationId: id, reason: '同意开放', access: 'download' });
  });
});

describe('demand signals', () => {
  it('counts applications per dataset and outcome', async () => {
    const counts = await applicationCounts(gw.services.database.db, ['legal_persons', 'credit_dishonest']);
    expect(counts.get('credit_dishonest')).toEqual({ pending: 0, approved: 0, rejected: 0 });
    const lp = counts.get('legal_persons')!;
    expect(lp.approved).toBeGreaterThanOrEqual(3);
    expect(lp.rejected).toBeGreaterThanOrEqual(2);
    expect(lp.pending).toBeGreaterThanOrEqual(1);
  });
});

describe('the dataset whose data may not leave the platform', () => {
  it('forces sandbox access after the dataset is regraded important', async () => {
    const { id } = await submit(application({ applicant: organization(VALID_USCC), fields: ['industry_code'] }));
    const db = gw.services.database.db;
    const definition = await getDataset(db, 'legal_persons');
    await db.update(schema.datasets).set({ grade: 'important' }).where(eq(schema.datasets.code, 'legal_persons'));
    try {
      expect((await send('POST', '/open/applications', {}, application({ fields: ['industry_code'] }))).status).toBe(422);
      const forced = await submit(application({ applicant: organization(UNREGISTERED_USCC), fields: ['industry_code'] }));
      const [row] = await db.select().from(schema.applications).where(eq(schema.applications.id, forced.id));
      expect(row!.access).toBe('sandbox');
      // an application submitted for download before the regrade is granted as a sandbox licence
      const res = await decide(id, marketSteward, { approve: true, reason: '按重要数据仅限沙箱' });
      expect(await res.json()).toMatchObject({ access: 'sandbox', licenseId: expect.stringMatching(/^lic_/) });
    } finally {
      await db.update(schema.datasets).set({ grade: definition.grade }).where(eq(schema.datasets.code, 'legal_persons'));
    }
  });
});
