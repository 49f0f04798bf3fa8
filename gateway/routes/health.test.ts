import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

describe('health and discovery', () => {
  it('answers /healthz and /readyz once migrated', async () => {
    expect(await (await gw.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await gw.app.request('/readyz');
    expect(ready.status).toBe(200);
  });

  it('says 503 on /readyz and problem+json NOT_READY on data routes while the database is not up', async () => {
    const app = createApp({ config: loadConfig({}), logger: createLogger('silent'), services: () => undefined });
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'b' }),
    });
    expect(login.status).toBe(503);
    expect(login.headers.get('content-type')).toContain('application/problem+json');
    expect(((await login.json()) as { code: string }).code).toBe('NOT_READY');
  });

  it('says 503 on /readyz when the database stops answering', async () => {
    const other = await createTestGateway();
    await other.testDb.database.close();
    expect((await other.app.request('/readyz')).status).toBe(503);
  });

  it('publishes the signing keys as a JWKS without private parts', async () => {
    const res = await gw.app.request('/.well-known/jwks.json');
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('serves an OpenAPI 3.1 document covering every route, and the docs page with a strict CSP', async () => {
    const doc = (await (await gw.app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/auth/login', '/steward/datasets', '/steward/datasets/{code}', '/steward/datasets/{code}/loads']),
    );
    const docs = await gw.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await docs.text()).not.toMatch(/<script>[^<]/);
    const bundle = await gw.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await gw.app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('answers unknown routes with problem+json 404 and a request id', async () => {
    const res = await gw.app.request('/nope');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { code: string; requestId: string };
    expect(body.code).toBe('NOT_FOUND');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });
});
