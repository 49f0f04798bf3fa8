// Security staff in a real browser: suspend an operator from the whitelist and see its next API call refused and the
// audit entry appear; verify the audit chain from the page; a steward cannot open security pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';
import { signInToConsole, startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';
import { raiseAlert } from '../../sandbox/alerts/index.ts';

let gw: TestGateway;
let browser: BrowserHarness;
let operator: TestOperator;

beforeAll(async () => {
  gw = await createTestGateway();
  operator = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  browser = await startBrowserHarness(gw.app);
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

const signIn = (page: Page, username: string, password: string) => signInToConsole(browser, page, username, password);

describe('security console', () => {
  it('suspends an operator from the whitelist: its next API call is refused and the audit view shows it', async () => {
    const bearer = await operator.bearer();
    expect((await operator.request('/operator/datasets', { headers: bearer })).status).toBe(200);

    const page = await browser.newPage();
    await signIn(page, 'security', PASSWORDS.security);
    await page.goto(`${browser.baseUrl}/console/whitelist`);
    await browser.screenshot(page, 'console-whitelist');
    await page.getByRole('link', { name: '某某数据科技有限公司' }).click();
    await page.waitForURL(/\/console\/whitelist\/.+/);
    // the licence is listed with its budget and quota
    await expect(page.getByText(operator.licenseId).count()).resolves.toBeGreaterThan(0);
    await browser.screenshot(page, 'console-operator');

    page.once('dialog', (dialog) => void dialog.accept()); // the confirmation
    const form = page.locator('form[action$="/status"]');
    await form.getByLabel('新状态').selectOption('suspended');
    await form.getByLabel('原因（必填）').fill('异常批量查询，暂停核查');
    await form.getByRole('button', { name: '确认变更' }).click();
    await page.waitForURL(/done=suspended/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('已暂停');

    // the live token stops working at once
    expect((await operator.request('/operator/datasets', { headers: bearer })).status).toBe(403);

    await page.goto(`${browser.baseUrl}/console/audit?action=whitelist.operator.suspended`);
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(`operator:${operator.id}`);
    await browser.screenshot(page, 'console-audit');
  }, 120_000);

  it('verifies the audit chain from the page', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await signIn(page, 'security', PASSWORDS.security);
    await page.goto(`${browser.baseUrl}/console/audit`);
    await page.getByRole('button', { name: '签署检查点' }).click();
    await page.waitForURL(/\/console\/audit$/);
    await page.getByRole('button', { name: '立即校验' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('完整');
  }, 90_000);

  it('acknowledges an alert with a note, and resolving it closes it', async () => {
    const db = gw.services.database.db;
    await db.transaction((tx) => raiseAlert(tx, { kind: 'escape-attempt', severity: 'critical', operatorId: operator.id, summary: '作业代码探测已删除的全局对象 WebAssembly' }));
    const page = await browser.newPage();
    await signIn(page, 'security', PASSWORDS.security);
    await page.goto(`${browser.baseUrl}/console/alerts?status=open`);
    await expect(page.locator('tbody').getByText('沙箱逃逸尝试').count()).resolves.toBe(1);
    await browser.screenshot(page, 'console-alerts');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('处理说明（必填）').fill('已联系运营方核实');
    await page.getByRole('button', { name: '确认', exact: true }).click();
    await page.waitForURL(/done=1/);
    await page.goto(`${browser.baseUrl}/console/alerts?status=acknowledged`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('已确认');
    await page.goto(`${browser.baseUrl}/console/alerts?status=open`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(0);
  }, 90_000);

  it('keeps security pages from stewards (and the pages render in English on request)', async () => {
    const page = await browser.newPage();
    await signIn(page, 'steward', PASSWORDS.steward);
    for (const path of ['/console/whitelist', '/console/audit', '/console/alerts']) {
      const res = await page.goto(`${browser.baseUrl}${path}`);
      expect(res?.status()).toBe(403);
    }
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You may not open this page');
  }, 90_000);
});
