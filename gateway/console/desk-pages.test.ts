// Stewards in a real browser: approve a conditional-open application, answer feedback, draft and publish a priority
// list, set a dataset's yearly privacy budget; security staff cannot open the desk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DATASETS } from '../../data/index.ts';
import { registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { signInToConsole, startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';

let gw: TestGateway;
let browser: BrowserHarness;
const MARKET = DATASETS.legal_persons.definition.department;
const MARKET_CODE = DATASETS.legal_persons.definition.departmentCode;

const post = (path: string, body: unknown) =>
  gw.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
  await gw.addStaff('market_steward', 'steward', MARKET);
  browser = await startBrowserHarness(gw.app);
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const signIn = (page: Page, username: string, password: string) => signInToConsole(browser, page, username, password);

describe('steward desk', () => {
  it('approves a conditional-open application; the applicant sees it approved', async () => {
    const submitted = await post('/open/applications', {
      applicant: { type: 'person', name: '王五', contact: { email: 'wangwu@example.com' } },
      purpose: '研究本省小微企业行业分布与存续情况',
      dataset: 'legal_persons',
      fields: ['uscc', 'industry_code', 'established_date'],
      durationDays: 30,
      acceptCommitment: true,
    });
    expect(submitted.status).toBe(201);
    const { id, statusToken } = (await submitted.json()) as { id: string; statusToken: string };

    const page = await browser.newPage();
    await signIn(page, 'market_steward', 'market_steward-password-1');
    await page.goto(`${browser.baseUrl}/console/applications`);
    await expect(page.getByText('研究本省小微企业行业分布与存续情况').count()).resolves.toBe(1);
    await browser.screenshot(page, 'console-applications');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('理由（必填）').fill('用途正当，字段最小必要');
    await page.getByRole('button', { name: '批准' }).click();
    await page.waitForURL(/done=1/);

    const status = await gw.app.request(`/open/applications/${id}`, { headers: { 'x-status-token': statusToken } });
    expect(await status.json()).toMatchObject({ status: 'approved', decisionReason: '用途正当，字段最小必要' });
  }, 90_000);

  it('answers feedback and drafts, then publishes, a priority list', async () => {
    const reported = await post('/open/feedback', { dataset: 'legal_persons', kind: 'stale', message: '登记状态两个月未更新' });
    expect(reported.status).toBe(201);
    const { id: feedbackId } = (await reported.json()) as { id: string };

    const page = await browser.newPage();
    // every action asks for confirmation first
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await signIn(page, 'market_steward', 'market_steward-password-1');
    await page.goto(`${browser.baseUrl}/console/feedback`);
    await page.getByLabel('答复').fill('已通知源系统补推，预计本周内更新');
    await page.getByLabel('处理状态').selectOption('resolved');
    await page.getByRole('button', { name: '发送答复' }).click();
    await page.waitForURL(/done=1/);
    const publicView = (await (await gw.app.request(`/open/feedback/${feedbackId}`)).json()) as { status: string; replies: unknown[] };
    expect(publicView.status).toBe('resolved');
    expect(publicView.replies).toHaveLength(1);

    const year = new Date().getFullYear() + 1;
    await page.goto(`${browser.baseUrl}/console/priority-lists/${year}/${encodeURIComponent(MARKET_CODE)}`);
    await page.getByLabel('数据领域').fill('市场监管');
    await page.getByLabel('数据名称', { exact: true }).fill('企业年报公示信息');
    await page.getByLabel('计划开放时间').fill(`${year}-06-30`);
    await page.getByRole('button', { name: '添加条目' }).click();
    await page.waitForURL(/done=1/);
    await expect(page.locator('tbody').first().getByText('企业年报公示信息').count()).resolves.toBe(1);
    await page.getByRole('button', { name: '发布' }).click();
    await page.waitForURL(/done=1/);
    expect(asked).toEqual(['确认发送答复？答复将公开显示在数据集页面。', '确认将该条目加入草稿？', '发布后不可修改，更正需发布新版本。确认发布？']);
    await browser.screenshot(page, 'console-priority-list');
    const published = await gw.app.request(`/open/priority-lists/${year}?department=${encodeURIComponent(MARKET_CODE)}`);
    expect(published.status).toBe(200);
    expect(JSON.stringify(await published.json())).toContain('企业年报公示信息');

    // the dashboard charts the published list's progress per department
    await page.goto(`${browser.baseUrl}/console`);
    // next year's is the only list there is, so the chart shows it (this year's would win: dashboard.test.ts)
    await expect(page.locator('#chart-progress figcaption').textContent()).resolves.toBe(`年度开放重点清单进度（按部门） · ${year}`);
    await expect(page.locator('#chart-progress li[data-category] .total').textContent()).resolves.toBe('1');
    await browser.screenshot(page, 'console-dashboard');
  }, 120_000);

  it("sets the department's dataset's privacy budget for the year, and never shows another department's", async () => {
    await registerDataset(gw.services.database.db, DATASETS.population.definition);
    const page = await browser.newPage();
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await signIn(page, 'market_steward', 'market_steward-password-1');
    await page.goto(`${browser.baseUrl}/console/privacy-budgets`);
    const row = page.locator('tr[data-dataset="legal_persons"]');
    await expect(row.textContent()).resolves.toContain('按分级规则默认');
    // population belongs to the public security department: not this steward's to see or set
    await expect(page.locator('tr[data-dataset="population"]').count()).resolves.toBe(0);
    await row.getByLabel('新的 ε').fill('2.5');
    await row.getByLabel('理由（必填）').fill('年度开放计划调整');
    await row.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/done=1/);
    expect(asked).toEqual(['确认修改该数据集本年度的隐私预算？此操作会记入审计日志。']);
    await expect(page.locator('tr[data-dataset="legal_persons"] td.num').nth(1).textContent()).resolves.toBe('2.50');
    await expect(page.locator('tr[data-dataset="legal_persons"]').textContent()).resolves.toContain('由 market_steward 于');
    await browser.screenshot(page, 'console-privacy-budgets');

    const api = await gw.app.request('/steward/datasets/legal_persons/privacy-budget', { headers: await gw.login('market_steward', 'market_steward-password-1') });
    expect(await api.json()).toMatchObject({ dataset: 'legal_persons', epsilonSet: 2.5 });
    // a form posted for another department's dataset is refused by Cedar inside the verb, and changes nothing
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${browser.baseUrl}/console/privacy-budgets/population`, { form: { _csrf: csrf, year: String(new Date().getUTCFullYear()), epsilon: '1000', reason: '越权修改他部门' } });
    expect(forged.status()).toBe(403);
    const population = await gw.app.request('/steward/datasets/population/privacy-budget', { headers: await gw.login('steward', PASSWORDS.steward) });
    expect(await population.json()).toMatchObject({ epsilonSet: null });
  }, 90_000);

  it('keeps the desk from security staff', async () => {
    const page = await browser.newPage();
    await signIn(page, 'security', PASSWORDS.security);
    for (const path of ['/console/applications', '/console/reviews', '/console/feedback', '/console/priority-lists', '/console/privacy-budgets']) {
      expect((await page.goto(`${browser.baseUrl}${path}`))?.status()).toBe(403);
    }
  }, 60_000);
});
