import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackCounts } from '../../catalog-open/index.ts';
import { DATASETS } from '../../data/index.ts';
import { listAudit, registerDataset } from '../../store/index.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let marketSteward: Record<string, string>;
let healthSteward: Record<string, string>;

const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  gw.app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function report(body: Record<string, unknown>): Promise<string> {
  const res = await send('POST', '/open/feedback', {}, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
  await registerDataset(gw.services.database.db, DATASETS.credit_dishonest.definition);
  await registerDataset(gw.services.database.db, DATASETS.health_visits.definition);
  marketSteward = await gw.addStaff('market_steward', 'steward', DATASETS.legal_persons.definition.department);
  healthSteward = await gw.addStaff('health_steward', 'steward', '卫生健康委员会');
});
afterAll(() => gw.close());

describe('data-quality feedback', () => {
  it('runs report → public view → steward reply → resolved, never showing the contact publicly', async () => {
    const id = await report({ dataset: 'legal_persons', kind: 'stale', message: '注册资本字段近三个月未更新', contact: 'reporter@example.com' });
    const fresh = await gw.app.request(`/open/feedback/${id}`);
    expect(fresh.status).toBe(200);
    const view = await fresh.json();
    expect(view).toMatchObject({ id, dataset: 'legal_persons', kind: 'stale', status: 'open', message: '注册资本字段近三个月未更新', replies: [] });
    expect(JSON.stringify(view)).not.toContain('reporter@example.com');

    const queue = (await (await send('GET', '/steward/feedback?status=open', marketSteward)).json()) as { items: { id: string; contact: string }[] };
    expect(queue.items.find((i) => i.id === id)?.contact).toBe('reporter@example.com');

    const first = await send('POST', `/steward/feedback/${id}/reply`, marketSteward, { message: '已核实，正在重新加载', status: 'in_progress' });
    expect(first.status).toBe(200);
    const second = await send('POST', `/steward/feedback/${id}/reply`, marketSteward, { message: '已更新至最新版本', status: 'resolved' });
    expect(await second.json()).toMatchObject({ status: 'resolved', replies: [{ status: 'in_progress' }, { status: 'resolved' }] });

    const after = (await (await gw.app.request(`/open/feedback/${id}`)).json()) as { status: string; replies: Record<string, unknown>[] };
    expect(after.status).toBe('resolved');
    expect(after.replies.map((r) => r.message)).toEqual(['已核实，正在重新加载', '已更新至最新版本']);
    expect(after.replies.every((r) => !('by' in r))).toBe(true);
    expect(JSON.stringify(after)).not.toContain('reporter@example.com');
  });

  it("keeps other departments' stewards out", async () => {
    const id = await report({ dataset: 'legal_persons', kind: 'wrong', message: '某企业行业代码与经营范围不符' });
    expect((await send('POST', `/steward/feedback/${id}/reply`, healthSteward, { message: '收到', status: 'resolved' })).status).toBe(403);
    const theirs = (await (await send('GET', '/steward/feedback', healthSteward)).json()) as { items: unknown[] };
    expect(theirs.items).toEqual([]);
    expect((await gw.app.request('/steward/feedback')).status).toBe(401);
  });

  it('counts open and resolved per dataset, publicly and for the catalog', async () => {
    const open = await report({ dataset: 'credit_dishonest', kind: 'missing', message: '缺少2023年度的失信记录' });
    const closed = await report({ dataset: 'credit_dishonest', kind: 'format', message: '日期格式不统一，部分为斜杠分隔' });
    // credit_dishonest belongs to another department: the market steward may not reply, so it stays open
    expect((await send('POST', `/steward/feedback/${closed}/reply`, marketSteward, { message: '已统一为 YYYY-MM-DD', status: 'resolved' })).status).toBe(403);
    const counts = await feedbackCounts(gw.services.database.db, ['credit_dishonest', 'legal_persons', 'nothing_here']);
    expect(counts.get('nothing_here')).toEqual({ open: 0, resolved: 0, rejected: 0 });
    expect(counts.get('credit_dishonest')).toEqual({ open: 2, resolved: 0, rejected: 0 });
    expect(counts.get('legal_persons')).toMatchObject({ resolved: 1 });

    const steward = await gw.addStaff('credit_steward', 'steward', DATASETS.credit_dishonest.definition.department);
    expect((await send('POST', `/steward/feedback/${closed}/reply`, steward, { message: '已统一为 YYYY-MM-DD', status: 'resolved' })).status).toBe(200);
    const listing = (await (await gw.app.request('/open/datasets/credit_dishonest/feedback')).json()) as {
      counts: { open: number; resolved: number };
      items: { id: string; message: string }[];
    };
    expect(listing.counts).toEqual({ open: 1, resolved: 1, rejected: 0 });
    expect(listing.items.map((i) => i.id)).toEqual([closed, open]);
    const onlyOpen = (await (await gw.app.request('/open/datasets/credit_dishonest/feedback?status=open')).json()) as { items: { id: string }[] };
    expect(onlyOpen.items.map((i) => i.id)).toEqual([open]);
    expect((await gw.app.request('/open/datasets/no_such/feedback')).status).toBe(404);
    expect((await gw.app.request('/open/datasets/credit_dishonest/feedback?status=closed')).status).toBe(400);
  });

  it('audits reports without message or contact, and replies by the steward', async () => {
    const id = await report({ dataset: 'legal_persons', kind: 'other', message: '希望增加英文字段说明', contact: '13800000000' });
    await send('POST', `/steward/feedback/${id}/reply`, marketSteward, { message: '已列入下一版本', status: 'in_progress' });
    const entries = (await listAudit(gw.services.database.db, { resource: `feedback:${id}` }, { limit: 10 })).items;
    const submitted = entries.find((e) => e.action === 'open.feedback.submitted')!;
    expect(submitted.actor).toEqual({ type: 'public', id: null });
    expect(submitted.details).toEqual({ feedbackId: id, dataset: 'legal_persons', kind: 'other' });
    expect(JSON.stringify(entries)).not.toContain('13800000000');
    const replied = entries.find((e) => e.action === 'open.feedback.replied')!;
    expect(replied.actor.type).toBe('staff');
    expect(replied.details).toMatchObject({ status: { before: 'open', after: 'in_progress' } });
  });

  it('refuses bad bodies with 422 and unknown ids with 404', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ dataset: 'legal_persons', kind: 'angry', message: '数据有问题啊' }, 'kind'],
      [{ dataset: 'legal_persons', kind: 'wrong', message: '' }, 'message'],
      [{ dataset: 'legal_persons', kind: 'wrong' }, 'message'],
      [{ dataset: 'Legal Persons', kind: 'wrong', message: '数据有问题啊' }, 'dataset'],
    ];
    for (const [body, path] of cases) {
      const res = await send('POST', '/open/feedback', {}, body);
      expect(res.status, path).toBe(422);
      expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    }
    expect((await send('POST', '/open/feedback', {}, { dataset: 'no_such', kind: 'wrong', message: '数据有问题啊' })).status).toBe(404);
    // not_open data is never shown to the public, so it cannot be reported on either
    expect((await send('POST', '/open/feedback', {}, { dataset: 'health_visits', kind: 'wrong', message: '数据有问题啊' })).status).toBe(404);
    expect((await gw.app.request('/open/datasets/health_visits/feedback')).status).toBe(404);
    const id = await report({ dataset: 'legal_persons', kind: 'wrong', message: '数据有问题啊' });
    expect((await send('POST', `/steward/feedback/${id}/reply`, marketSteward, { message: '好', status: 'done' })).status).toBe(422);
    expect((await send('POST', '/steward/feedback/fb_00000000-0000-0000-0000-000000000000/reply', marketSteward, { message: '收到', status: 'resolved' })).status).toBe(404);
    expect((await gw.app.request('/open/feedback/fb_00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await gw.app.request('/open/feedback/whatever')).status).toBe(404);
  });

  it('documents the routes in the OpenAPI description', async () => {
    const spec = (await (await gw.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of ['/open/applications', '/open/applications/{id}', '/steward/applications', '/steward/applications/{id}/decision', '/open/feedback', '/open/feedback/{id}', '/open/datasets/{code}/feedback', '/steward/feedback', '/steward/feedback/{id}/reply']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });
});
