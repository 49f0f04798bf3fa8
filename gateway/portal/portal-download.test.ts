// An approved applicant downloads from the portal: the status lookup (token in a POST body) starts a short session
// bound to that application, and the page's plain links download with it — never the token in a URL. Refused as an
// attacker would try: no cookie, another application's cookie, a forged or expired one, the cookie as a bearer token.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCsv } from '../../data/index.ts';
import { listAudit, loadDataset } from '../../store/index.ts';
import { PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { DOWNLOAD_COOKIE } from './applications/download-session.ts';
import { createPortalGateway } from './testing.ts';

let gw: TestGateway;
let approved: { id: string; statusToken: string };
let pending: { id: string; statusToken: string };

async function apply(): Promise<{ id: string; statusToken: string }> {
  const res = await gw.app.request('/open/applications', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      applicant: { type: 'person', name: '赵六', contact: { email: 'zhao@example.com' } },
      purpose: '研究本省企业的行业分布情况',
      dataset: 'legal_persons',
      fields: ['uscc', 'industry_code'],
      durationDays: 30,
      acceptCommitment: true,
      access: 'download',
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; statusToken: string };
}

beforeAll(async () => {
  gw = await createPortalGateway();
  await loadDataset(gw.testDb.database, { code: 'legal_persons', format: 'csv', body: generatedCsv('legal_persons', 25, 'portal-download'), loadedBy: 'test' });
  approved = await apply();
  pending = await apply();
  const steward = await gw.login('steward', PASSWORDS.steward);
  const decided = await gw.app.request(`/steward/applications/${approved.id}/decision`, {
    method: 'POST',
    headers: { ...steward, 'content-type': 'application/json' },
    body: JSON.stringify({ approve: true, reason: '用途明确' }),
  });
  expect(decided.status).toBe(200);
}, 60_000);
afterAll(() => gw?.close());

/** The status lookup as the form posts it: CSRF cookie and field, id and token in the body. */
async function lookUp(application: { id: string; statusToken: string }): Promise<{ html: string; setCookie: string; status: number }> {
  const form = await gw.app.request('/portal/applications');
  const csrf = /portal_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
  const field = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await gw.app.request('/portal/applications', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `portal_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: field, id: application.id, token: application.statusToken }).toString(),
  });
  return { html: await res.text(), setCookie: res.headers.get('set-cookie') ?? '', status: res.status };
}

const sessionOf = (setCookie: string) => new RegExp(`${DOWNLOAD_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
const download = (id: string, cookie?: string, format = 'csv') =>
  gw.app.request(`/portal/applications/${id}/download?format=${format}`, { headers: cookie ? { cookie: `${DOWNLOAD_COOKIE}=${cookie}` } : {} });

describe('portal download for an approved application', () => {
  it('the status page offers plain download links and starts a session cookie bound to the application', async () => {
    const { html, setCookie, status } = await lookUp(approved);
    expect(status).toBe(200);
    for (const format of ['csv', 'ndjson', 'json', 'xlsx']) expect(html).toContain(`href="/portal/applications/${approved.id}/download?format=${format}"`);
    expect(html).not.toContain(approved.statusToken);
    expect(setCookie).toMatch(new RegExp(`${DOWNLOAD_COOKIE}=[^;]+;`));
    expect(setCookie).toMatch(/Path=\/portal\/applications/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=900/);
    // a pending application gets neither links nor a session
    const waiting = await lookUp(pending);
    expect(waiting.html).not.toContain('/download?format=');
    expect(sessionOf(waiting.setCookie)).toBeUndefined();
  });

  it('downloads the approved fields only, masked, audited under the application', async () => {
    const cookie = sessionOf((await lookUp(approved)).setCookie)!;
    const res = await download(approved.id, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('uscc,industry_code');
    expect(lines).toHaveLength(26);
    expect((await download(approved.id, cookie, 'xlsx')).headers.get('content-type')).toContain('spreadsheetml');
    const audit = await listAudit(gw.services.database.db, { action: 'open.download' }, { limit: 10 });
    expect(audit.items.some((e) => (e.details as { application?: string }).application === approved.id)).toBe(true);
  });

  it('refuses without the session, with another application’s, forged, expired, and as a bearer token', async () => {
    const cookie = sessionOf((await lookUp(approved)).setCookie)!;
    expect((await download(approved.id)).status).toBe(401);
    expect((await download(pending.id, cookie)).status).toBe(401);
    const [h, p, s] = cookie.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: pending.id })).toString('base64url');
    expect((await download(pending.id, `${h}.${forgedPayload}.${s}`)).status).toBe(401);
    const { kid, key } = await gw.services.keys.signingKey();
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'portal-download+jwt' })
      .setIssuer(gw.config.publicUrl)
      .setAudience(`${gw.config.publicUrl}/portal/applications`)
      .setSubject(approved.id)
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(key);
    const refused = await download(approved.id, expired);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('下载链接已过期');
    // the session is not an access token
    expect((await gw.app.request('/operator/datasets', { headers: { authorization: `Bearer ${cookie}` } })).status).toBe(401);
    expect((await download(approved.id, cookie, 'pdf')).status).toBe(400);
  });
});
