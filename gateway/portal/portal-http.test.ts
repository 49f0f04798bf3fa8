// The portal over plain HTTP (no browser): status codes, headers, CSRF refusals, form re-rendering with messages,
// the submission limit, bad parameters and the JSON-LD escaping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../testing/test-gateway.ts';
import { jsonLd } from './dataset/pages.tsx';
import { PORTAL_CSP } from './routes.tsx';
import { createPortalGateway, PRIORITY_YEAR } from './testing.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createPortalGateway();
}, 60_000);
afterAll(() => gw?.close());

const get = (path: string, headers: Record<string, string> = {}) => gw.app.request(path, { headers });

/** GETs the page, returns its CSRF cookie and hidden field value. */
async function tokenFrom(path: string): Promise<{ cookie: string; field: string }> {
  const res = await get(path);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /portal_csrf=([^;]+)/.exec(setCookie)?.[1] ?? '';
  const field = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
  return { cookie, field };
}

const post = (path: string, form: Record<string, string | string[]>, cookie?: string) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return gw.app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `portal_csrf=${cookie}` } : {}) },
  });
};

describe('portal pages over HTTP', () => {
  it('sends home to the catalog and serves pages with the strict CSP and no-store', async () => {
    const home = await get('/');
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/portal/datasets');
    const page = await get('/portal/datasets?q=企业');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PORTAL_CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('企业登记信息');
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    expect(html).not.toMatch(/ style=/);
  });

  it('answers unknown, not_open and malformed codes with a 404 page, bad parameters with a 400 naming them', async () => {
    for (const path of ['/portal/datasets/no_such', '/portal/datasets/health_visits', '/portal/datasets/BAD!', '/portal/nowhere']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('role="alert"');
    }
    const bad = await get('/portal/datasets?openType=secret');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('openType');
    expect((await get('/portal/datasets?cursor=forged')).status).toBe(400);
    expect((await get('/portal/priority-lists/20x6')).status).toBe(400);
    expect((await get('/portal/priority-lists/1999')).status).toBe(400);
    expect((await get('/portal/priority-lists/2031')).status).toBe(404);
    expect((await get(`/portal/priority-lists/${PRIORITY_YEAR}?department=NOPE`)).status).toBe(404);
  });

  it('pages with a cursor: a next link, then the rest and a link back to the first page', async () => {
    const first = await (await get('/portal/datasets?sort=code&limit=2')).text();
    const names = (html: string) => [...html.matchAll(/<h3><a href="\/portal\/datasets\/([a-z_]+)"/g)].map((m) => m[1]);
    expect(names(first)).toEqual(['credit_dishonest', 'enterprise_registry']);
    const next = /<a href="([^"]+)" rel="next">/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toMatch(/^\/portal\/datasets\?sort=code&limit=2&cursor=/);
    const second = await (await get(next!)).text();
    expect(names(second)).toEqual(['legal_persons']);
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('回到第一页');
  });

  it('treats LIKE and SQL metacharacters in q as text', async () => {
    // '_' alone would match: field names such as legal_rep are searchable text
    for (const q of ['%', '%_%', "' or 1=1 --", '\\']) {
      const res = await get(`/portal/datasets?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(await res.text()).toContain('共 0 个数据集');
    }
  });

  it('refuses a form without the matching double-submit token (403) and stores nothing', async () => {
    const { cookie, field } = await tokenFrom('/portal/datasets/enterprise_registry');
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(field).toBe(cookie);
    const form = { kind: 'wrong', message: '第三行企业名称有误' };
    expect((await post('/portal/datasets/enterprise_registry/feedback', form)).status).toBe(403);
    expect((await post('/portal/datasets/enterprise_registry/feedback', { ...form, _csrf: field })).status).toBe(403);
    expect((await post('/portal/datasets/enterprise_registry/feedback', { ...form, _csrf: 'x'.repeat(43) }, cookie)).status).toBe(403);
    const feedback = (await (await get('/open/datasets/enterprise_registry/feedback')).json()) as { items: unknown[] };
    expect(feedback.items).toHaveLength(0);
    const ok = await post('/portal/datasets/enterprise_registry/feedback', { ...form, _csrf: field }, cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/portal\/datasets\/enterprise_registry\?feedback=fb_[0-9a-f-]{36}#feedback$/);
  });

  it('sets the token cookie HttpOnly, SameSite=Strict, scoped to /portal', async () => {
    const res = await get('/portal/datasets/enterprise_registry');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/portal/);
  });

  it('re-renders a bad feedback form with labelled messages (422), keeping what was typed', async () => {
    const { cookie, field } = await tokenFrom('/portal/datasets/enterprise_registry');
    const res = await post('/portal/datasets/enterprise_registry/feedback', { _csrf: field, kind: 'nonsense', message: '短', contact: '' }, cookie);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('请选择问题类型');
    expect(html).toContain('问题描述至少 5 个字');
    expect(html).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*>短<\/textarea>/);
  });

  it('re-renders a bad application with messages per field (422) and issues no token', async () => {
    const { cookie, field } = await tokenFrom('/portal/datasets/legal_persons');
    const res = await post(
      '/portal/datasets/legal_persons/apply',
      { _csrf: field, applicantType: 'organization', name: '某公司', uscc: '123', email: 'not-mail', purpose: '太短', durationDays: 'abc', access: 'download' },
      cookie,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const text of ['统一社会信用代码', '有效的电子邮箱', '用途说明至少 10 个字', '1–365', '数据安全承诺']) expect(html).toContain(text);
    expect(html).not.toContain('status-token');
    // an unconditional dataset takes no application: the form error is shown, not a 500
    const open = await tokenFrom('/portal/datasets/enterprise_registry');
    const refused = await post(
      '/portal/datasets/enterprise_registry/apply',
      { _csrf: open.field, applicantType: 'person', name: '王五', email: 'w@example.com', purpose: '研究企业登记数据的质量情况', fields: 'uscc', durationDays: '30', acceptCommitment: 'yes' },
      open.cookie,
    );
    expect(refused.status).toBe(422);
  });

  it('answers an application lookup with a wrong token or without the form token like the API: nothing to see', async () => {
    const { cookie, field } = await tokenFrom('/portal/applications');
    const wrong = await post('/portal/applications', { _csrf: field, id: 'app_00000000-0000-0000-0000-000000000000', token: 'x'.repeat(43) }, cookie);
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('申请编号或查询凭证不正确');
    expect((await post('/portal/applications', { id: 'app_x', token: 'y' })).status).toBe(403);
  });

  it('limits submissions per IP with the token buckets (429 page with Retry-After)', async () => {
    const { cookie, field } = await tokenFrom('/portal/datasets/enterprise_registry');
    // earlier tests of this file took tokens from the same bucket: at most a burst (10) more gets through
    const send = () => post('/portal/datasets/enterprise_registry/feedback', { _csrf: field, kind: 'other', message: '短' }, cookie);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 11 && !limited; i++) {
      const res = await send();
      if (res.status === 429) limited = res;
      else statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 422)).toBe(true);
    expect(limited?.status).toBe(429);
    if (!limited) return;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('操作过于频繁');
  });

  it('escapes the JSON-LD so no text can close its script block', () => {
    const text = jsonLd({ name: '</script><script>alert(1)</script>&' });
    expect(text).not.toContain('<');
    expect(text).not.toContain('>');
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script>&' });
  });
});
