// Every console page, for both roles and with something on it (an operator and licence, an alert, audit entries, an
// application, feedback, a priority list, a job in review), in Debian's Chromium at a 390 px phone and a 1280 px
// desktop: no sideways scrolling of the page, zero axe-core violations, chart text of at least 12 px as drawn.
// Screenshots: artifacts/screenshots/console-{390,1280}-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPriorityList } from '../../catalog-open/index.ts';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { raiseAlert } from '../../sandbox/alerts/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker } from '../../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET } from '../../sandbox/jobs/testing.ts';
import { loadDataset, registerDataset, schema } from '../../store/index.ts';
import { chinaToday } from '../ui/time.ts';
import { signInToConsole, startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';
import { axeViolations, horizontalOverflow, smallChartText } from '../testing/page-checks.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let browser: BrowserHarness;
let pool: IsolatePool;
let operator: TestOperator;
const MARKET = DATASETS.legal_persons.definition;
const YEAR = Number(chinaToday().slice(0, 4));

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  gw.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  gw = await createTestGateway();
  const security = await gw.login('security', PASSWORDS.security);
  operator = await createTestOperator(gw, security);
  const { database } = gw.testDb;
  await loadDataset(database, { code: 'population', format: 'csv', body: generatedCsv('population', 300, 'console-layout'), loadedBy: 'test' });
  await registerDataset(database.db, MARKET);

  // a job whose free-form output needs stewards: it ends in review with a table of counts
  pool = createIsolatePool({ size: 1 });
  const worker = createWorker({ database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET });
  const job = await operator.request('/operator/jobs', {
    method: 'POST',
    headers: { ...(await operator.bearer()), 'content-type': 'application/json' },
    body: JSON.stringify({
      licenseId: operator.licenseId,
      datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }],
      code: 'export function map(c) { return { keys: { sex: c.sex }, features: { income: c.annual_income } }; }',
      // free-form output is released only without DP, after two stewards (docs/disclosure-control.md)
      privacy: { none: true, justification: '法定报表需要精确计数' },
    }),
  });
  expect(job.status).toBe(202);
  expect(await worker.runOnce()).toBe(true);

  await database.db.transaction((tx) => raiseAlert(tx, { kind: 'burst', severity: 'high', operatorId: operator.id, summary: 'repeated job submissions over the licence quota', details: { refusals: 12, windowMinutes: 10 } }));
  expect((await post('/open/applications', { applicant: { type: 'person', name: '王五', contact: { email: 'w@example.com' } }, purpose: '研究本省企业行业分布情况', dataset: 'legal_persons', fields: ['uscc', 'industry_code'], durationDays: 30, acceptCommitment: true })).status).toBe(201);
  expect((await post('/open/feedback', { dataset: 'legal_persons', kind: 'stale', message: '登记状态两个月未更新' })).status).toBe(201);
  const item = (name: string, plannedDate: string) => ({ theme: '市场监管', name, summary: '摘要', openType: 'conditional' as const, accessMethods: ['download' as const, 'api' as const], formats: ['CSV', 'XLSX'], updateCycle: 'monthly' as const, plannedDate, demandSource: '公众', datasetCode: 'legal_persons' });
  await seedPriorityList(database, { year: YEAR, departmentCode: MARKET.departmentCode, seeder: 'test', items: [item('法人单位基础信息', `${YEAR}-12-31`), item('企业年报公示信息', `${YEAR}-01-31`)] });
  await database.db.insert(schema.downloadCounts).values({ datasetCode: 'legal_persons', day: new Date().toISOString().slice(0, 10), format: 'csv', count: 37 });

  browser = await startBrowserHarness(gw.app);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await pool?.close();
  await gw?.close();
});

const name = (path: string) => path.replace(/^\/console\/?/, '').replace(/op_0{8}[0-9-]+/, 'not-found').replace(/op_[0-9a-f-]+/, 'operator').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'dashboard';

async function check(page: Page, label: string, width: number) {
  expect(await horizontalOverflow(page), `${label} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
  expect(await axeViolations(page), `${label} at ${width}px`).toEqual([]);
  const chart = await smallChartText(page);
  expect(chart.small, `${label} at ${width}px: chart text under 12px`).toEqual([]);
  return chart.measured;
}

async function visit(role: 'security' | 'steward', width: number, paths: string[]) {
  const context = await browser.browser.newContext({ viewport: { width, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${browser.baseUrl}/console/login`);
  await check(page, 'sign-in', width);
  await signInToConsole(browser, page, role, PASSWORDS[role]);
  let chartTexts = 0;
  for (const path of paths) {
    const res = await page.goto(`${browser.baseUrl}${path}`);
    expect(res?.status(), path).toBeLessThan(path.includes('op_00000000') ? 500 : 400);
    chartTexts += await check(page, path, width);
    await browser.screenshot(page, `console-${width}-${role}-${name(path)}`);
  }
  await context.close();
  return chartTexts;
}

describe('console pages at 390 px and 1280 px', () => {
  for (const width of [390, 1280]) {
    it(`security staff, ${width} px: no sideways scroll, no axe violation, readable charts`, async () => {
      const [first] = await gw.services.database.db.select({ seq: schema.auditLog.seq }).from(schema.auditLog).limit(1);
      const seq = first!.seq;
      const chartTexts = await visit('security', width, [
        '/console',
        '/console/whitelist',
        `/console/whitelist/${operator.id}`,
        `/console/whitelist/${operator.id}?dataset=population`,
        '/console/audit',
        `/console/audit/${seq}`,
        '/console/alerts',
        '/console/whitelist/op_00000000-0000-0000-0000-000000000000',
      ]);
      // the dashboard's four charts were there to measure
      expect(chartTexts).toBeGreaterThan(40);
    }, 240_000);

    it(`stewards, ${width} px: no sideways scroll, no axe violation, readable charts`, async () => {
      const chartTexts = await visit('steward', width, [
        '/console',
        '/console/applications',
        '/console/reviews',
        '/console/feedback',
        '/console/priority-lists',
        '/console/privacy-budgets',
        `/console/priority-lists/${YEAR}/${encodeURIComponent(MARKET.departmentCode)}`,
      ]);
      expect(chartTexts).toBeGreaterThan(20);
    }, 240_000);
  }

  it('the review page shows the table to release with each cell’s verdict, and the checks in words', async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await signInToConsole(browser, page, 'steward', PASSWORDS.steward);
    await page.goto(`${browser.baseUrl}/console/reviews`);
    const review = page.locator('section.review').first();
    await expect(review.locator('section.review-table[data-table="counts"] table').count()).resolves.toBe(1);
    await expect(review.locator('section.review-table .badge').first().textContent()).resolves.toMatch(/发布|不公布/);
    await expect(review.locator('table.review-checks tr[data-check="human_review"] th').textContent()).resolves.toBe('人工审查');
    await expect(review.textContent()).resolves.toContain('某某数据科技有限公司');
    expect(await review.innerText()).not.toContain('"checks"'); // the raw JSON only inside its closed details
    await context.close();
  }, 60_000);
});
