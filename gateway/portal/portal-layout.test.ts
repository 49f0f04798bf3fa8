// Every portal page in Debian's Chromium at a 390 px phone and a 1280 px desktop: no sideways scrolling of the page,
// zero axe-core violations, and chart text of at least 12 px as drawn. Screenshots: artifacts/screenshots/portal-{390,1280}-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';
import { axeViolations, horizontalOverflow, smallChartText } from '../testing/page-checks.ts';
import type { TestGateway } from '../testing/test-gateway.ts';
import { createPortalGateway, PORTAL_SEEDS, PRIORITY_YEAR } from './testing.ts';

let gw: TestGateway;
let browser: BrowserHarness;

beforeAll(async () => {
  gw = await createPortalGateway();
  browser = await startBrowserHarness(gw.app);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** Pages reached by address; the lookup result and a form shown again with its errors are reached by posting. */
const PAGES = [
  ...PORTAL_SEEDS.filter((p) => p !== '/'),
  '/portal/datasets?q=企业',
  '/portal/datasets/enterprise_registry',
  '/portal/datasets/legal_persons',
  '/portal/datasets/credit_dishonest',
  `/portal/priority-lists/${PRIORITY_YEAR}?department=${encodeURIComponent('11330000002482162H')}`,
  '/portal/datasets/no_such_dataset',
];

const name = (path: string) => path.replace(/^\/portal\/?/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home';

async function check(page: Page, label: string, width: number) {
  expect(await horizontalOverflow(page), `${label} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
  expect(await axeViolations(page), `${label} at ${width}px`).toEqual([]);
  const chart = await smallChartText(page);
  expect(chart.small, `${label} at ${width}px: chart text under 12px`).toEqual([]);
  return chart.measured;
}

describe('portal pages at 390 px and 1280 px', () => {
  for (const width of [390, 1280]) {
    for (const lang of ['zh', 'en'] as const) {
      it(`${width} px, ${lang}: no sideways scroll, no axe violation, readable charts`, async () => {
        const context = await browser.browser.newContext({ viewport: { width, height: 844 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
        if (lang === 'en') await context.addCookies([{ name: 'portal_lang', value: 'en', url: browser.baseUrl }]);
        const page = await context.newPage();
        let chartTexts = 0;
        for (const path of PAGES) {
          await page.goto(`${browser.baseUrl}${path}`);
          chartTexts += await check(page, path, width);
          if (lang === 'zh') await browser.screenshot(page, `portal-${width}-${name(path)}`);
        }
        // the year's chart was there to measure (legend, labels, totals, values)
        expect(chartTexts).toBeGreaterThan(10);

        // pages that only a form reaches: the status lookup's answer, and a form shown again with its messages
        await page.goto(`${browser.baseUrl}/portal/applications`);
        await page.locator('#st-id').fill('app_unknown');
        await page.locator('#st-token').fill('wrong-token');
        await page.locator('#status-form button[type="submit"]').click();
        await page.waitForLoadState();
        await check(page, 'status lookup (not found)', width);
        await page.goto(`${browser.baseUrl}/portal/datasets/legal_persons`);
        await page.locator('#apply-form button[type="submit"]').click();
        await page.waitForLoadState();
        await check(page, 'application form with errors', width);
        if (lang === 'zh') await browser.screenshot(page, `portal-${width}-application-errors`);
        await context.close();
      }, 240_000);
    }
  }
});
