import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let steward: Record<string, string>;
let security: Record<string, string>;

const definition = {
  code: 'enterprise_registry',
  name: '企业登记信息',
  description: '企业登记基本信息',
  department: '市场监督管理局',
  departmentCode: '11100000MB0000000X',
  sourceSystem: '企业登记系统',
  updateCycle: 'daily',
  grade: 'general',
  openType: 'unconditional',
  fields: [
    { name: 'uscc', type: 'string', description: '统一社会信用代码', nullable: false },
    { name: 'name', type: 'string', description: '企业名称', nullable: false },
    { name: 'capital', type: 'decimal', description: '注册资本（万元）' },
    { name: 'established', type: 'date', description: '成立日期' },
  ],
};

function send(method: string, path: string, headers: Record<string, string>, body?: unknown, contentType = 'application/json') {
  return gw.app.request(path, {
    method,
    headers: { ...headers, 'content-type': contentType },
    body: typeof body === 'string' || body === undefined ? (body as string | undefined) : JSON.stringify(body),
  });
}

beforeAll(async () => {
  gw = await createTestGateway();
  steward = await gw.login('steward', PASSWORDS.steward);
  security = await gw.login('security', PASSWORDS.security);
});
afterAll(() => gw.close());

describe('steward datasets', () => {
  it('registers a dataset, then lists and shows it', async () => {
    const created = await send('POST', '/steward/datasets', steward, definition);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ code: 'enterprise_registry', currentVersion: null });
    const list = (await (await send('GET', '/steward/datasets', steward)).json()) as { items: { code: string }[]; nextCursor: null };
    expect(list.items.map((d) => d.code)).toEqual(['enterprise_registry']);
    expect(list.nextCursor).toBeNull();
    expect((await send('GET', '/steward/datasets/enterprise_registry', security)).status).toBe(200);
  });

  it('refuses a duplicate code with 409 and an invalid definition with 422 naming the field', async () => {
    const dup = await send('POST', '/steward/datasets', steward, definition);
    expect(dup.status).toBe(409);
    const bad = await send('POST', '/steward/datasets', steward, { ...definition, code: 'Bad-Code', fields: [] });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { code: string; issues: { path: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['code', 'fields']));
    const malformed = await send('POST', '/steward/datasets', steward, '{not json');
    expect(malformed.status).toBe(400);
  });

  it('loads CSV into a new version and reports bad rows by line with 422, loading nothing', async () => {
    const csv = 'uscc,name,capital,established\n91350100M000100Y43,"福州某某科技有限公司",100.5,2015-06-01\n';
    const ok = await send('POST', '/steward/datasets/enterprise_registry/loads', steward, csv, 'text/csv; charset=utf-8');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ version: 1, rowCount: 1, format: 'csv' });

    const bad = await send('POST', '/steward/datasets/enterprise_registry/loads', steward, '{"uscc":"x","name":"y","capital":"lots"}\n', 'application/x-ndjson');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'LOAD_REJECTED', errors: [{ line: 1, field: 'capital', reason: 'expected a decimal number' }] });
    const shown = (await (await send('GET', '/steward/datasets/enterprise_registry', steward)).json()) as { currentVersion: { version: number } };
    expect(shown.currentVersion.version).toBe(1);
  });

  it('refuses an unsupported media type with 415 and unknown datasets with 404', async () => {
    expect((await send('POST', '/steward/datasets/enterprise_registry/loads', steward, 'x', 'application/xml')).status).toBe(415);
    expect((await send('POST', '/steward/datasets/nope/loads', steward, 'a\n1\n', 'text/csv')).status).toBe(404);
    expect((await send('GET', '/steward/datasets/nope', steward)).status).toBe(404);
  });

  it('changes a description with PATCH', async () => {
    const res = await send('PATCH', '/steward/datasets/enterprise_registry', steward, { description: '更新后的摘要' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ description: '更新后的摘要' });
  });

  it('lets security staff read but not register or load', async () => {
    expect((await send('POST', '/steward/datasets', security, { ...definition, code: 'other' })).status).toBe(403);
    expect((await send('POST', '/steward/datasets/enterprise_registry/loads', security, 'uscc,name\na,b\n', 'text/csv')).status).toBe(403);
  });

  it("refuses a steward of another department, and requests without a valid token", async () => {
    const other = await gw.addStaff('health_steward', 'steward', '卫生健康委员会');
    const res = await send('POST', '/steward/datasets/enterprise_registry/loads', other, 'uscc,name\na,b\n', 'text/csv');
    expect(res.status).toBe(403);
    expect((await send('GET', '/steward/datasets', {})).status).toBe(401);
    expect((await send('GET', '/steward/datasets', { authorization: 'Bearer abc.def.ghi' })).status).toBe(401);
  });
});
