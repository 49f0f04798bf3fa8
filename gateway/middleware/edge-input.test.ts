// The edge owns all text: NUL and unpaired surrogates in any part of a request are a 400 before a route, a database
// or Cedar sees them; bodies past their route's limit are a 413; a form that does not parse is a 400.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { AppError } from '../../errors/index.ts';
import { listAudit, listDatasets, registerDataset } from '../../store/index.ts';
import type { AppEnv } from '../context.ts';
import { problemResponse } from '../problem.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { edgeInput } from './edge-input.ts';

let gw: TestGateway;
let steward: Record<string, string>;
beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
  steward = await gw.login('steward', PASSWORDS.steward);
});
afterAll(() => gw.close());

async function problem(res: Response): Promise<{ status: number; code: string; in?: string; name?: string; detail: string }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return { status: res.status, ...((await res.json()) as { code: string; in?: string; detail: string }) };
}
const json = (body: string, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('text at the edge', () => {
  it.each([
    ['a path parameter', '/open/datasets/legal%00persons'],
    ['an {id} of the public', '/open/feedback/%00'],
    ['a query parameter', '/open/datasets?q=%00'],
    ['a query parameter name', '/open/datasets?q%00=x'],
    ['a CKAN q', '/api/3/action/package_search?q=a%00b'],
  ])('refuses a NUL in %s with 400 problem+json', async (_, path) => {
    const p = await problem(await gw.app.request(path));
    expect(p).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(p.detail).toContain('NUL');
  });

  it('refuses percent-encoding in the path that is not UTF-8', async () => {
    expect(await problem(await gw.app.request('/open/datasets/%ED%A0%80'))).toMatchObject({ status: 400, in: 'path' });
  });

  it('refuses a NUL in a JSON string before the sign-in reaches the database (nothing audited as a sign-in)', async () => {
    const res = await gw.app.request('/auth/login', json('{"username":"steward\\u0000","password":"whatever-1234"}', { 'x-request-id': 'edge-nul-login' }));
    expect(await problem(res)).toMatchObject({ status: 400, in: 'body', name: '/username' });
    const { items } = await listAudit(gw.services.database.db, {}, { limit: 50 });
    expect(items.some((e) => e.requestId === 'edge-nul-login')).toBe(false);
  });

  it('refuses a lone surrogate in a dataset’s department before Cedar sees it, and audits the refused request', async () => {
    const definition = { ...DATASETS.social_insurance.definition, code: 'surrogate_probe', department: 'x\ud800y' };
    const res = await gw.app.request('/steward/datasets', json(JSON.stringify(definition), { ...steward, 'x-request-id': 'edge-surrogate' }));
    expect(await problem(res)).toMatchObject({ status: 400, in: 'body', name: '/department' });
    expect((await listDatasets(gw.services.database.db, { limit: 100 })).items.map((d) => d.code)).not.toContain('surrogate_probe');
    const { items } = await listAudit(gw.services.database.db, {}, { limit: 50 });
    expect(items.find((e) => e.requestId === 'edge-surrogate')).toMatchObject({ action: 'http.request', outcome: 'error', resource: 'POST /steward/datasets' });
  });

  it('refuses unpaired surrogates anywhere in JSON: keys, nested arrays, a lone low surrogate', async () => {
    for (const body of ['{"message":"ok","x\\udc00":1}', '{"a":[[["\\udfff"]]]}', '{"dataset":"legal_persons","kind":"wrong","message":"\\ud83d"}']) {
      expect((await gw.app.request('/open/feedback', json(body))).status, body).toBe(400);
    }
    // a paired surrogate is a character (an emoji), and passes
    const fine = await gw.app.request('/open/feedback', json(JSON.stringify({ dataset: 'legal_persons', kind: 'wrong', message: '行业代码有误 \ud83d\ude00' })));
    expect(fine.status).toBe(201);
  });

  it('refuses a NUL in a header and in a percent-encoded cookie', async () => {
    expect((await gw.app.request('/portal/datasets', { headers: { cookie: 'portal_lang=en%00' } })).status).toBe(400);
  });

  it('refuses NUL in form fields and file names', async () => {
    const form = new FormData();
    form.set('username', 'steward\u0000');
    form.set('password', 'x');
    expect((await gw.app.request('/console/login', { method: 'POST', body: form, headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(400);
    const urlencoded = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_assertion=a%00b' };
    expect((await gw.app.request('/auth/token', urlencoded)).status).toBe(400);
  });
});

describe('bodies', () => {
  const truncated = (boundary: string) =>
    `--${boundary}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\nabc\r\n--${boundary}\r\ncontent-disposition: form-data; name="message"\r\n\r\nhal`;

  it.each([['/console/login'], ['/portal/datasets/legal_persons/feedback']])('answers a truncated multipart body on %s with 400, not a 500 page', async (path) => {
    const res = await gw.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ', 'sec-fetch-site': 'same-origin' },
      body: truncated('XyZ'),
    });
    expect(await problem(res)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('refuses a body over its route’s limit with 413, by its declared length', async () => {
    const big = JSON.stringify({ dataset: 'legal_persons', kind: 'wrong', message: 'x'.repeat(2 * 1024 * 1024) });
    expect(await problem(await gw.app.request('/open/feedback', json(big)))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const form = `message=${'x'.repeat(70 * 1024)}`;
    const portal = await gw.app.request('/portal/datasets/legal_persons/feedback', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(portal.status).toBe(413);
  });

  it('refuses a chunked body (no declared length) once it passes the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        if (sent > 64) controller.close(); // 4 MiB would be sent if nobody stopped reading
        else controller.enqueue(chunk);
      },
    });
    const res = await gw.app.request('/open/applications', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(40);
  });

  it('counts a streamed body as it goes and stops it past the limit', async () => {
    const app = new Hono<AppEnv>();
    app.onError((err, c) => problemResponse(c, err instanceof AppError ? err : new AppError('INTERNAL', 'x')));
    app.use(edgeInput(() => ({ bytes: 1000, streamed: true })));
    app.post('/load', async (c) => c.json({ bytes: (await new Response(c.req.raw.body).arrayBuffer()).byteLength }));
    const stream = (n: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < n; i++) controller.enqueue(new Uint8Array(100));
          controller.close();
        },
      });
    const send = (n: number) => app.request('/load', { method: 'POST', body: stream(n), duplex: 'half' } as RequestInit);
    expect(await (await send(10)).json()).toEqual({ bytes: 1000 });
    expect((await send(11)).status).toBe(413);
  });
});
