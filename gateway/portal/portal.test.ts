// The public portal in a real browser (Debian's Chromium via playwright-core) against the served app: search and
// facets, a dataset page with fields, a CSV download, feedback, a conditional-open application and its one-time
// status token, the priority-list chart, the schema.org JSON-LD, the English switch and the year comparison,
// keyboard-only search and facets, and no CSP violation on any page.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';
import type { TestGateway } from '../testing/test-gateway.ts';
import { createPortalGateway, ENTERPRISE_ROWS, PREVIOUS_YEAR, PRIORITY_YEAR } from './testing.ts';

let gw: TestGateway;
let browser: BrowserHarness;
/** console messages that report a Content-Security-Policy violation, and uncaught page errors, of every page */
const violations: string[] = [];

beforeAll(async () => {
  gw = await createPortalGateway();
  browser = await startBrowserHarness(gw.app);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function open(path: string, sink: string[] = violations): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) sink.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => sink.push(`${path}: ${e.message}`));
  await page.goto(`${browser.baseUrl}${path}`);
  return page;
}

const resultNames = (page: Page) => page.locator('ol.results h3 a').allTextContents();

describe('public portal in Chromium', () => {
  it('finds 企业登记信息 with q=企业, and a facet click narrows the results', async () => {
    const page = await open('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('数据目录');
    expect(await resultNames(page)).toHaveLength(3);
    await page.getByLabel('搜索数据集').fill('企业');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=%E4%BC%81%E4%B8%9A/);
    expect(await resultNames(page)).toContain('企业登记信息');
    await browser.screenshot(page, 'portal-catalog');

    await page.goto(`${browser.baseUrl}/portal/datasets`);
    await page.locator('a.facet[data-facet="department"]', { hasText: '省发展和改革委员会' }).click();
    await page.waitForURL(/department=/);
    expect(await resultNames(page)).toEqual(['失信被执行人信息']);
    await expect(page.locator('p.total').textContent()).resolves.toBe('共 1 个数据集');
    // the selected facet is marked, and clicking it again removes the filter
    const selected = page.locator('a.facet[aria-current="true"]');
    await expect(selected.count()).resolves.toBe(1);
    await selected.click();
    await page.waitForURL((url) => !url.search.includes('department='));
    expect(await resultNames(page)).toHaveLength(3);
    await page.locator('a.facet[data-facet="openType"][data-value="conditional"]').click();
    await page.waitForURL(/openType=conditional/);
    expect(await resultNames(page)).toEqual(['法人单位基础信息库']);
    await browser.screenshot(page, 'portal-catalog-facet');
  }, 90_000);

  it('shows a dataset with its metadata, fields, a working CSV download and the schema.org JSON-LD', async () => {
    const page = await open('/portal/datasets/enterprise_registry');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('企业登记信息');
    const meta = (await page.locator('dl.meta').textContent()) ?? '';
    for (const text of ['330000/000001', '省市场监督管理局', '市场监管', '无条件开放', '每月', 'CC-BY-4.0', '2999-01-01']) expect(meta).toContain(text);
    const fields = page.locator('table.fields tbody tr');
    await expect(fields.count()).resolves.toBe(4);
    await expect(fields.filter({ hasText: 'legal_rep' }).textContent()).resolves.toContain('已脱敏');
    await expect(page.locator('h2', { hasText: '元数据质量评分' }).textContent()).resolves.toContain('100');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.download[data-format="csv"]').click()]);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('uscc,company,legal_rep,established');
    expect(lines).toHaveLength(ENTERPRISE_ROWS + 1);
    // the masked field never shows the loaded name (张0明 …)
    expect(lines.slice(1).some((l) => /张\d+明/.test(l))).toBe(false);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '') as Record<string, unknown>;
    expect(ld['@type']).toBe('Dataset');
    expect(ld.name).toBe('企业登记信息');
    expect(ld.identifier).toBe('330000/000001');
    expect((ld.distribution as unknown[]).length).toBe(4);
    await browser.screenshot(page, 'portal-dataset');
  }, 90_000);

  it('takes feedback from the page: a bad form shows its messages, a good one is listed with its id', async () => {
    const page = await open('/portal/datasets/credit_dishonest');
    await expect(page.locator('p.counts').textContent()).resolves.toBe('处理中 0 条，已解决 0 条');
    const form = page.locator('#feedback-form');
    await form.getByLabel('问题描述').fill('太短');
    await form.getByRole('button', { name: '提交反馈' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('问题描述至少 5 个字');
    await expect(form.getByLabel('问题描述').inputValue()).resolves.toBe('太短');

    await form.getByLabel('问题类型').selectOption({ label: '更新不及时' });
    await form.getByLabel('问题描述').fill('本月的失信名单尚未更新，请核实。');
    await form.getByRole('button', { name: '提交反馈' }).click();
    await page.waitForURL(/feedback=fb_/);
    const id = new URL(page.url()).searchParams.get('feedback')!;
    await expect(page.getByRole('status').filter({ hasText: '已收到您的反馈' }).textContent()).resolves.toContain(id);
    const item = page.locator(`ol.feedback li[id="${id}"]`);
    await expect(item.textContent()).resolves.toContain('本月的失信名单尚未更新');
    await expect(item.textContent()).resolves.toContain('更新不及时');
    await expect(page.locator('p.counts').textContent()).resolves.toBe('处理中 1 条，已解决 0 条');
    await browser.screenshot(page, 'portal-feedback');
  }, 90_000);

  it('offers a conditional dataset by application only and shows the status token once', async () => {
    const page = await open('/portal/datasets/legal_persons');
    await expect(page.locator('a.download').count()).resolves.toBe(0);
    await expect(page.locator('#apply').textContent()).resolves.toContain('用于经济研究');
    await browser.screenshot(page, 'portal-conditional');
    const form = page.locator('#apply-form');
    await form.getByLabel('姓名或单位名称').fill('王五');
    await form.getByLabel('电子邮箱').fill('wangwu@example.com');
    await form.getByLabel('用途说明（至少 10 个字）').fill('研究本省小微企业的行业分布与存续情况');
    await form.locator('input[name="fields"][value="uscc"]').check();
    await form.locator('input[name="fields"][value="industry_code"]').check();
    await form.getByLabel('使用期限（天，1–365）').fill('30');
    // the commitment is required: without it the form comes back with that message
    await form.getByRole('button', { name: '提交申请' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('数据安全承诺');
    await expect(page.locator('input[name="fields"][value="uscc"]').isChecked()).resolves.toBe(true);
    await page.locator('#ap-commitment').check();
    await page.locator('#apply-form').getByRole('button', { name: '提交申请' }).click();

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('申请已提交');
    const id = (await page.locator('#application-id').textContent()) ?? '';
    const token = (await page.locator('#status-token').textContent()) ?? '';
    expect(id).toMatch(/^app_/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('只显示这一次');
    expect(page.url()).not.toContain(token);
    await browser.screenshot(page, 'portal-application');

    const status = await fetch(`${browser.baseUrl}/open/applications/${id}`, { headers: { 'x-status-token': token } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ id, dataset: 'legal_persons', fields: ['uscc', 'industry_code'], status: 'pending' });

    // the applicant follows it on the portal with the id and token (posted, never in the URL)
    await page.getByRole('link', { name: '申请查询' }).click();
    await page.getByLabel('申请编号').fill(id);
    await page.getByLabel('查询凭证').fill(token);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('dl.meta').textContent()).resolves.toContain('审核中');
    await expect(page.locator('#next-step').textContent()).resolves.toContain('尚未审核');
    expect(page.url()).not.toContain(token);
    await browser.screenshot(page, 'portal-application-status');
  }, 90_000);

  it('shows a year of the priority list with the open-attribute chart, status counts, items and exports', async () => {
    const page = await open('/portal/priority-lists');
    await page.getByRole('link', { name: `${PRIORITY_YEAR} 年度政务数据开放重点清单` }).click();
    await page.waitForURL(new RegExp(`/portal/priority-lists/${PRIORITY_YEAR}$`));
    const chart = page.locator('figure.chart');
    await expect(chart.count()).resolves.toBe(1);
    await expect(chart.locator('svg.bar').count()).resolves.toBe(2);
    // numbers written beside the bars: unconditional / conditional per department, and each total
    const bar = (department: string, series: string) => chart.locator(`li[data-category="${department}"] [data-series="${series}"] .value`).textContent();
    await expect(bar('省发展和改革委员会', 'unconditional')).resolves.toBe('3');
    await expect(bar('省市场监督管理局', 'unconditional')).resolves.toBe('1');
    await expect(bar('省市场监督管理局', 'conditional')).resolves.toBe('2');
    await expect(chart.locator('li[data-category="省市场监督管理局"] .total').textContent()).resolves.toBe('3');
    const total = (s: string) => page.locator(`table.status-counts tfoot td[data-status="${s}"]`).textContent();
    await expect(total('opened')).resolves.toBe('2');
    await expect(total('planned')).resolves.toBe('2');
    await expect(total('overdue')).resolves.toBe('2');
    await expect(page.locator('table.items tbody tr').count()).resolves.toBe(6);
    await browser.screenshot(page, 'portal-priority-list');

    const csvHref = await page.locator('p.exports a[data-format="csv"]').getAttribute('href');
    const csv = Buffer.from(await (await fetch(`${browser.baseUrl}${csvHref}`)).arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toContain('序号');

    // one department, then its opened item leads to the dataset page
    await page.getByLabel('部门', { exact: true }).selectOption({ label: '省发展和改革委员会' });
    await page.getByRole('button', { name: '查看', exact: true }).click();
    await page.waitForURL(/department=/);
    await expect(page.locator('table.items tbody tr').count()).resolves.toBe(3);
    await page.getByRole('link', { name: '查看数据集' }).click();
    await page.waitForURL(/\/portal\/datasets\/credit_dishonest$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('失信被执行人信息');
  }, 90_000);

  it('answers a not_open dataset with a 404 page and shows the department summary', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${browser.baseUrl}/portal/datasets/health_visits`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('未找到该数据集');
    const summary = await open('/portal/departments');
    await expect(summary.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    await browser.screenshot(summary, 'portal-departments');
  }, 60_000);

  it('switches to English by clicking, and compares two years of priority lists', async () => {
    const page = await open('/portal/priority-lists');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForFunction("document.documentElement.lang === 'en'");
    // back on the same page, now in English
    expect(new URL(page.url()).pathname).toBe('/portal/priority-lists');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Annual government data opening priority lists');
    await page.getByRole('link', { name: `Compare the ${PREVIOUS_YEAR} and ${PRIORITY_YEAR} lists` }).click();
    await page.waitForURL(/\/portal\/priority-lists\/compare\?/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Priority lists ${PREVIOUS_YEAR} and ${PRIORITY_YEAR} compared`);
    await expect(page.locator('table.compare-summary tbody tr').count()).resolves.toBe(2);
    const market = page.locator('table.compare-summary tbody tr', { hasText: '省市场监督管理局' });
    await expect(market.locator('td[data-count="carriedOver"]').textContent()).resolves.toBe('2');
    await expect(market.locator('td[data-side="from"][data-count="items"]').textContent()).resolves.toBe('3');
    // the picker narrows to one department; the language sticks across pages
    await page.getByLabel('Department', { exact: true }).selectOption({ label: '省市场监督管理局' });
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/department=/);
    await expect(page.locator('table.compare-summary tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await browser.screenshot(page, 'portal-compare');
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForFunction("document.documentElement.lang === 'zh-CN'");
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`${PREVIOUS_YEAR} 与 ${PRIORITY_YEAR} 年度重点清单对比`);
  }, 90_000);

  it('works from the keyboard alone: skip link, search box, facet links, with a visible focus ring', async () => {
    const page = await open('/portal/datasets');
    // the focused element, read in the page (a string: this project's TypeScript has no DOM library)
    const focused = () =>
      page.evaluate(
        "(() => { const el = document.activeElement; return { tag: el.tagName, cls: el.className, id: el.id, facet: el.dataset.value ?? '', outline: getComputedStyle(el).outlineStyle }; })()",
      ) as Promise<{ tag: string; cls: string; id: string; facet: string; outline: string }>;
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toMatchObject({ tag: 'A', cls: 'skip', outline: 'solid' });
    await page.keyboard.press('Enter');
    await expect(focused()).resolves.toMatchObject({ tag: 'MAIN' });
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toMatchObject({ tag: 'INPUT', id: 'q' });
    await page.keyboard.type('企业');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    expect(await resultNames(page)).toContain('企业登记信息');

    await page.goto(`${browser.baseUrl}/portal/datasets`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused()).facet === 'conditional';
    }
    expect(reached).toBe(true);
    await expect(focused()).resolves.toMatchObject({ tag: 'A', outline: 'solid' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/openType=conditional/);
    expect(await resultNames(page)).toEqual(['法人单位基础信息库']);
  }, 60_000);

  it('logged no CSP violation and no script error on any page', () => {
    expect(violations).toEqual([]);
  });

  it('would have noticed one: the header CSP blocks an inline style and the watcher reports it', async () => {
    const seen: string[] = [];
    const page = await open('/portal/datasets', seen);
    await page.locator('body').evaluate((body) => body.setAttribute('style', 'color: red'));
    await page.waitForTimeout(200);
    expect(seen.join('\n')).toMatch(/style-src/);
  }, 30_000);
});
