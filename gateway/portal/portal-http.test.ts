// The portal over plain HTTP (no browser): status codes, headers, CSRF refusals, form re-rendering with messages,
// the submission limit, bad parameters, the JSON-LD escaping, the English switch and the year comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import type { TestGateway } from '../testing/test-gateway.ts';
import { jsonLd } from './dataset/pages.tsx';
import { PORTAL_CSP } from './routes.tsx';
import { createPortalGateway, PREVIOUS_YEAR, PRIORITY_YEAR } from './testing.ts';

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

const EN = { cookie: 'portal_lang=en' };
const MARKET = DATASETS.legal_persons.definition.departmentCode;
const CREDIT = DATASETS.credit_dishonest.definition.departmentCode;

// first: the form below must not find the per-IP submission bucket drained by the limit test
describe('portal in English', () => {
  it('switches by a GET link: a cookie scoped to /portal, SameSite=Strict, then back to the page', async () => {
    const next = `/portal/priority-lists/${PRIORITY_YEAR}?department=${MARKET}`;
    const res = await get(`/portal/lang?to=en&next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(next);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^portal_lang=en;/);
    expect(setCookie).toMatch(/Path=\/portal/);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    // back to Chinese, and never off the portal
    expect((await get('/portal/lang?to=zh')).headers.get('set-cookie')).toMatch(/^portal_lang=zh;/);
    for (const bad of ['//evil.example/portal', 'https://evil.example/', '/portal/../admin\\x', '/console']) {
      expect((await get(`/portal/lang?to=en&next=${encodeURIComponent(bad)}`)).headers.get('location'), bad).toBe('/portal/datasets');
    }
  });

  it('renders every page in English after the switch, with lang="en" and a link back to Chinese', async () => {
    const pages: [string, string][] = [
      ['/portal/datasets', 'Data catalog'],
      ['/portal/datasets/enterprise_registry', 'Metadata quality score'],
      ['/portal/datasets/legal_persons', 'Apply for conditional access'],
      ['/portal/priority-lists', 'Annual government data opening priority lists'],
      [`/portal/priority-lists/${PRIORITY_YEAR}`, `${PRIORITY_YEAR} government data opening priority list`],
      [`/portal/priority-lists/compare?from=${PREVIOUS_YEAR}&to=${PRIORITY_YEAR}`, `Priority lists ${PREVIOUS_YEAR} and ${PRIORITY_YEAR} compared`],
      ['/portal/departments', 'Opening by department'],
      ['/portal/applications', 'Application status'],
    ];
    for (const [path, heading] of pages) {
      const res = await get(path, EN);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain('<html lang="en">');
      expect(html, path).toContain(heading);
      expect(html, path).toContain('Skip to main content');
      expect(html, path).toContain('Public Data Open Platform');
      // the shell's Chinese words are gone; the switch back is labelled in Chinese
      for (const zh of ['跳到主要内容', '公共数据开放平台', '数据目录', '本平台数据依法开放']) expect(html, `${path} ${zh}`).not.toContain(zh);
      expect(html, path).toMatch(/<a class="lang" href="\/portal\/lang\?to=zh&amp;next=[^"]+" lang="zh-CN"[^>]*>中文<\/a>/);
    }
    // a page without catalog data has no Chinese at all but the switch back
    const lookup = (await (await get('/portal/applications', EN)).text()).replace('>中文<', '><');
    expect(lookup.match(/[\u3000-\u9fff\uff00-\uffef]+/g)).toBeNull();
    // registered metadata stays as registered
    expect(await (await get('/portal/datasets/enterprise_registry', EN)).text()).toContain('企业登记信息');
    // without the cookie: Chinese, the default
    const zh = await (await get('/portal/datasets')).text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('跳到主要内容');
  });

  it('speaks English on error pages and in form messages', async () => {
    const missing = await get('/portal/datasets/no_such', EN);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No such dataset');
    const bad = await get('/portal/datasets?openType=secret', EN);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Invalid request parameter: openType');

    const page = await get('/portal/datasets/enterprise_registry', EN);
    const cookie = /portal_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const field = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const res = await gw.app.request('/portal/datasets/enterprise_registry/feedback', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: field, kind: 'nonsense', message: 'x' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `portal_csrf=${cookie}; portal_lang=en` },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Choose the kind of problem');
    expect(html).toContain('The description takes 5 to 2000 characters');
    // the switch on a form's answer returns to the dataset page, which has a GET address
    expect(html).toContain(`next=${encodeURIComponent('/portal/datasets/enterprise_registry')}"`);
  });
});

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

interface CompareJson {
  departments: {
    departmentCode: string;
    from: { items: number; byStatus: Record<string, number>; byOpenType: Record<string, number> } | null;
    to: { items: number; byStatus: Record<string, number>; byOpenType: Record<string, number> } | null;
    added: { name: string }[];
    dropped: { name: string }[];
    carriedOver: unknown[];
  }[];
}

/** The numbers of one department's summary row: "from.items", "to.opened", "added" … */
function rowCounts(html: string, department: string): Record<string, number> {
  const row = new RegExp(`<tr data-department="${department}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  const out: Record<string, number> = {};
  for (const m of row.matchAll(/data-side="(from|to)" data-count="([a-zA-Z]+)">(\d+)</g)) out[`${m[1]}.${m[2]}`] = Number(m[3]);
  for (const m of row.matchAll(/<td class="num" data-count="([a-zA-Z]+)">(\d+)</g)) out[m[1]!] = Number(m[2]);
  return out;
}

describe('priority-list year comparison page', () => {
  it('shows the counts and item changes of the JSON route, per department', async () => {
    const query = `from=${PREVIOUS_YEAR}&to=${PRIORITY_YEAR}`;
    const json = (await (await get(`/open/priority-lists/compare?${query}`)).json()) as CompareJson;
    const res = await get(`/portal/priority-lists/compare?${query}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(json.departments.map((d) => d.departmentCode).sort()).toEqual([CREDIT, MARKET].sort());
    for (const d of json.departments) {
      const expected: Record<string, number> = { added: d.added.length, dropped: d.dropped.length, carriedOver: d.carriedOver.length };
      for (const side of ['from', 'to'] as const) {
        const counts = d[side];
        if (!counts) continue;
        expected[`${side}.items`] = counts.items;
        for (const [k, v] of Object.entries({ ...counts.byStatus, ...counts.byOpenType })) expected[`${side}.${k}`] = v;
      }
      expect(rowCounts(html, d.departmentCode), d.departmentCode).toEqual(expected);
    }
    // the fixture's story: market carried two items over (by code, by name), dropped one, added one; credit is new
    expect(rowCounts(html, MARKET)).toMatchObject({ 'from.items': 3, 'to.items': 3, added: 1, dropped: 1, carriedOver: 2 });
    expect(rowCounts(html, CREDIT)).toMatchObject({ 'to.items': 3, added: 3, dropped: 0, carriedOver: 0 });
    expect(html).toMatch(/<td colspan="6" class="muted" data-side="from">无清单<\/td>/);
    const section = (id: string) => new RegExp(`id="cmp-${MARKET}-${id}"[\\s\\S]*?</(table|p)>`).exec(html)?.[0] ?? '';
    expect(section('added')).toContain('企业年度报告公示信息');
    expect(section('dropped')).toContain('个体工商户登记信息');
    expect(section('carried')).toContain('法人单位基础信息');
    // accessible tables and a labelled picker
    expect(html).toContain('<th scope="colgroup" colspan="6">2025</th>');
    for (const id of ['cmp-from', 'cmp-to', 'cmp-department']) expect(html).toContain(`<label for="${id}">`);

    // one department only
    const one = await (await get(`/portal/priority-lists/compare?${query}&department=${MARKET}`)).text();
    expect(one).toContain(`data-department="${MARKET}"`);
    expect(one).not.toContain(`data-department="${CREDIT}"`);
  });

  it('is linked from the priority-list pages', async () => {
    const href = `/portal/priority-lists/compare?from=${PREVIOUS_YEAR}&amp;to=${PRIORITY_YEAR}`;
    expect(await (await get('/portal/priority-lists')).text()).toContain(`href="${href}"`);
    expect(await (await get(`/portal/priority-lists/${PRIORITY_YEAR}`)).text()).toContain(`href="${href}"`);
    expect(await (await get(`/portal/priority-lists/${PREVIOUS_YEAR}`)).text()).toContain(`href="${href}"`);
  });

  it('answers bad years with a 400 page naming the parameter, years without lists with a 404 page', async () => {
    const cases: [string, string][] = [
      [`from=20x5&to=${PRIORITY_YEAR}`, 'from'],
      [`from=${PREVIOUS_YEAR}&to=1999`, 'to'],
      [`from=${PREVIOUS_YEAR}`, 'to'],
      [`to=${PRIORITY_YEAR}`, 'from'],
      [`from=${PREVIOUS_YEAR}&to=${PRIORITY_YEAR}&department=`, 'department'],
    ];
    for (const [query, parameter] of cases) {
      const res = await get(`/portal/priority-lists/compare?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html, query).toContain(`请求参数有误：${parameter}`);
      expect(html).toContain('role="alert"');
    }
    const noFrom = await get(`/portal/priority-lists/compare?from=2024&to=${PRIORITY_YEAR}`);
    expect(noFrom.status).toBe(404);
    expect(await noFrom.text()).toContain('2024 年度没有已发布的重点清单（参数 from）');
    const noTo = await get(`/portal/priority-lists/compare?from=${PREVIOUS_YEAR}&to=2030`, EN);
    expect(noTo.status).toBe(404);
    expect(await noTo.text()).toContain('No priority list was published for 2030 (parameter to)');
    const noDepartment = await get(`/portal/priority-lists/compare?from=${PREVIOUS_YEAR}&to=${PRIORITY_YEAR}&department=NOPE`);
    expect(noDepartment.status).toBe(404);
    expect(await noDepartment.text()).toContain('参数 department');
    // the JSON route agrees on the statuses
    expect((await get(`/open/priority-lists/compare?from=2024&to=${PRIORITY_YEAR}`)).status).toBe(404);
    expect((await get(`/open/priority-lists/compare?from=20x5&to=${PRIORITY_YEAR}`)).status).toBe(400);
  });
});
