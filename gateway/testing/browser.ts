// Real-browser tests: the test gateway served on a loopback port, driven by Debian's Chromium through playwright-core.
import { mkdirSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../app.ts';

/** Debian's package installs it here; CHROMIUM_PATH overrides (other distributions, local builds). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots land here: CI keeps them as artifacts; the folder is gitignored. */
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');

export interface BrowserHarness {
  /** http://127.0.0.1:<port> of the served app */
  baseUrl: string;
  browser: Browser;
  /** a page in a fresh context (own cookies), zh-CN by default */
  newPage(options?: { locale?: string }): Promise<Page>;
  /** a full-page screenshot saved as artifacts/screenshots/<name>.png */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Serves `app` on an ephemeral loopback port and launches headless Chromium against it. */
export async function startBrowserHarness(app: App): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // CI runs as root in a container: Chromium's sandbox needs user namespaces it may not have
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: { width: 1280, height: 900 } });
      return context.newPage();
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Signs a staff member in through the console's own form (zh labels). */
export async function signInToConsole(harness: BrowserHarness, page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${harness.baseUrl}/console/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}
