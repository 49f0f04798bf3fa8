// Console forms over HTTP: every action asks first (data-confirm) and says afterwards what it did; the licence form
// picks dataset and fields from the registry; times typed and shown are China Standard Time, labelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPriorityList } from '../../catalog-open/index.ts';
import { DATASETS } from '../../data/index.ts';
import { registerDataset } from '../../store/index.ts';
import { chinaToday } from '../ui/time.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let operator: TestOperator;
const sessions: Record<string, { cookie: string; csrf: string }> = {};
const MARKET = DATASETS.legal_persons.definition;
const YEAR = Number(chinaToday().slice(0, 4));

async function signIn(username: string, password: string) {
  const res = await gw.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await gw.app.request('/console', { headers: { cookie } })).text())![1]!;
  sessions[username] = { cookie, csrf };
}
const page = async (username: string, path: string) => {
  const res = await gw.app.request(path, { headers: { cookie: sessions[username]!.cookie } });
  expect(res.status, path).toBe(200);
  return res.text();
};
const submit = (username: string, path: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams({ _csrf: sessions[username]!.csrf });
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return gw.app.request(path, { method: 'POST', headers: { cookie: sessions[username]!.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
};

beforeAll(async () => {
  gw = await createTestGateway();
  operator = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  await registerDataset(gw.services.database.db, MARKET);
  await seedPriorityList(gw.services.database, {
    year: YEAR,
    departmentCode: MARKET.departmentCode,
    seeder: 'test',
    items: [{ theme: '市场监管', name: '法人单位基础信息', summary: '摘要', openType: 'conditional', accessMethods: ['download'], formats: ['CSV'], updateCycle: 'monthly', plannedDate: `${YEAR}-12-31`, demandSource: '公众' }],
  });
  const post = (path: string, body: unknown) => gw.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/open/applications', { applicant: { type: 'person', name: '王五', contact: { email: 'w@example.com' } }, purpose: '研究本省企业行业分布情况', dataset: 'legal_persons', fields: ['uscc'], durationDays: 30, acceptCommitment: true });
  await post('/open/feedback', { dataset: 'legal_persons', kind: 'stale', message: '登记状态两个月未更新' });
  await signIn('security', PASSWORDS.security);
  await signIn('steward', PASSWORDS.steward);
});
afterAll(() => gw?.close());

/** Every POST form of a page, with whether it asks first. */
const postForms = (html: string) =>
  [...html.matchAll(/<form\b[^>]*>/g)].map((m) => m[0]).filter((tag) => /method="post"/.test(tag)).map((tag) => ({ action: /action="([^"]*)"/.exec(tag)?.[1] ?? '', confirms: /data-confirm="[^"]+"/.test(tag) }));

describe('console forms', () => {
  it('every action asks for confirmation first (signing out and verifying, which change nothing, excepted)', async () => {
    const pages: [string, string][] = [
      ['security', '/console/whitelist'],
      ['security', `/console/whitelist/${operator.id}`],
      ['security', `/console/whitelist/${operator.id}?dataset=population`],
      ['security', '/console/audit'],
      ['steward', '/console/applications'],
      ['steward', '/console/feedback'],
      ['steward', `/console/priority-lists/${YEAR}/${encodeURIComponent(MARKET.departmentCode)}`],
    ];
    let actions = 0;
    for (const [who, path] of pages) {
      const forms = postForms(await page(who, path)).filter((f) => f.action !== '/console/logout' && f.action !== '/console/audit/verify');
      expect(forms.filter((f) => !f.confirms).map((f) => `${path}: ${f.action}`)).toEqual([]);
      actions += forms.length;
    }
    expect(actions).toBeGreaterThanOrEqual(12);
  });

  it('signing a checkpoint says it was signed, over how many entries', async () => {
    const res = await submit('security', '/console/audit/checkpoints', {});
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/console\/audit\?signed=\d+$/);
    const html = await page('security', location);
    expect(html).toMatch(/<p class="notice ok" role="status">检查点已签署：覆盖前 \d+ 条记录/);
  });

  it('the licence form offers the registry’s datasets and that dataset’s fields; validity typed and shown in China time', async () => {
    const chooser = await page('security', `/console/whitelist/${operator.id}`);
    expect(chooser).toContain('<option value="population">人口基础信息库（population）</option>');
    const form = await page('security', `/console/whitelist/${operator.id}?dataset=population`);
    for (const field of DATASETS.population.definition.fields) expect(form).toContain(`name="fields" value="${field.name}"`);
    expect(form).toContain('失效时间（北京时间）');
    const granted = await submit('security', `/console/whitelist/${operator.id}/licenses`, {
      dataset: 'population',
      scenario: '人口结构研究',
      fields: ['sex', 'birth_date'],
      operations: 'aggregate',
      validFrom: '2026-01-01T00:00',
      validTo: '2027-01-31T00:00',
      ipAllowlist: '0.0.0.0/0',
      epsilon: '1',
      maxJobsPerDay: '10',
    });
    expect(granted.status).toBe(303);
    const shown = await page('security', `/console/whitelist/${operator.id}`);
    expect(shown).toContain('2027-01-31 00:00（北京时间）');
    expect(shown).not.toContain('2027-01-30 16:00');
    const api = (await (await gw.app.request(`/security/operators/${operator.id}`, { headers: await gw.login('security', PASSWORDS.security) })).json()) as { licenses: { scenario: string; validTo: string }[] };
    expect(api.licenses.find((l) => l.scenario === '人口结构研究')!.validTo).toBe('2027-01-30T16:00:00.000Z');
  });

  it('the priority-list draft shows its codes in words, and the list picker offers the registry’s departments', async () => {
    const html = await page('steward', `/console/priority-lists/${YEAR}/${encodeURIComponent(MARKET.departmentCode)}`);
    const draft = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    expect(draft).toContain('数据下载');
    expect(draft).toContain('每月');
    expect(draft).not.toMatch(/>download<|>monthly</);
    expect(html).toContain(`<option value="legal_persons">${MARKET.name}（legal_persons）</option>`);
    const lists = await page('steward', '/console/priority-lists');
    expect(lists).toContain(`<option value="${MARKET.departmentCode}">${MARKET.department}</option>`);
  });
});
