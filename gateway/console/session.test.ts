// The console's front door, in a real browser and over plain HTTP: sign-in, sign-out, CSRF, CSP, redirects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.ts';
import { CONSOLE_CSP } from './routes.tsx';

let gw: TestGateway;
let browser: BrowserHarness;

beforeAll(async () => {
  gw = await createTestGateway();
  browser = await startBrowserHarness(gw.app);
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

async function cookieOf(username: string, password: string): Promise<string> {
  const res = await gw.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  return cookie.split(';')[0]!;
}

describe('console sign-in', () => {
  it('signs in with the staff account in a browser, shows the role navigation in Chinese, and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/console`);
    // no session: sent to the sign-in page, remembering where to go
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await page.getByLabel('用户名').fill('security');
    await page.getByLabel('密码').fill(PASSWORDS.security);
    await browser.screenshot(page, 'console-sign-in');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
    await expect(page.getByRole('navigation').getByRole('link', { name: '白名单' }).count()).resolves.toBe(1);
    await browser.screenshot(page, 'console-dashboard');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/console/login');
    await page.goto(`${browser.baseUrl}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  }, 90_000);

  it('refuses a wrong password with a message and no cookie', async () => {
    const res = await gw.app.request('/console/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: 'username=security&password=wrong',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('用户名或密码错误');
  });

  it('serves pages under a strict Content-Security-Policy with no inline script', async () => {
    const res = await gw.app.request('/console/login');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });

  it('refuses a state change without the session CSRF token or from another origin', async () => {
    const cookie = await cookieOf('security', PASSWORDS.security);
    const page = await gw.app.request('/console', { headers: { cookie } });
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(csrf).toBeTruthy();

    const post = (body: string, headers: Record<string, string> = {}) =>
      gw.app.request('/console/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    expect((await post('')).status).toBe(403);
    expect((await post('_csrf=forged')).status).toBe(403);
    expect((await post(`_csrf=${csrf}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(`_csrf=${csrf}`)).status).toBe(303);
  });

  it('never follows a sign-in `next` off the console', async () => {
    const res = await gw.app.request('/console/login?next=https://evil.example/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ username: 'steward', password: PASSWORDS.steward }).toString(),
    });
    expect(res.headers.get('location')).toBe('/console');
  });

  it('refuses a sign-in posted from another site (login CSRF), and audits the refusal', async () => {
    const login = (headers: Record<string, string>, requestId: string) =>
      gw.app.request('/console/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': requestId, ...headers },
        body: new URLSearchParams({ username: 'steward', password: PASSWORDS.steward }).toString(),
      });
    const attempts: [Record<string, string>, string][] = [
      [{ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, 'csrf-cross-site'],
      [{ 'sec-fetch-site': 'same-site' }, 'csrf-same-site'],
      [{ origin: 'https://evil.example' }, 'csrf-foreign-origin'],
      // a browser that sends neither header (or Origin: null) gives no sign of where the post came from
      [{}, 'csrf-no-sign'],
      [{ origin: 'null' }, 'csrf-null-origin'],
    ];
    for (const [headers, id] of attempts) {
      const res = await login(headers, id);
      expect(res.status, id).toBe(403);
      expect(res.headers.get('set-cookie'), id).toBeNull();
    }
    const { items } = await listAudit(gw.services.database.db, { action: 'console.sign-in' }, { limit: 50 });
    for (const [, id] of attempts) expect(items.find((e) => e.requestId === id), id).toMatchObject({ outcome: 'deny', details: { code: 'FORBIDDEN' } });
    expect((await login({ 'sec-fetch-site': 'same-origin' }, 'csrf-ours')).status).toBe(303);
  });
});
