// The operator SDK against the real app: it signs assertions, caches and refreshes tokens, and surfaces problems.
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorClient, PlatformError } from '../../sdk/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, OPERATOR_IP, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let tokenRequests = 0;

beforeAll(async () => {
  gw = await createTestGateway();
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
});
afterAll(() => gw.close());

async function client(refreshMarginSeconds = 60) {
  return new OperatorClient({
    baseUrl: gw.config.publicUrl,
    operatorId: op.id,
    privateJwk: { ...(await exportJWK(op.privateKey)), kid: op.kid },
    refreshMarginSeconds,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      if (url.pathname === '/auth/token') tokenRequests++;
      return gw.app.request(url.pathname + url.search, init, { incoming: { socket: { remoteAddress: OPERATOR_IP } } });
    }) as typeof fetch,
  });
}

describe('OperatorClient', () => {
  it('gets a token with a client assertion and reuses it until it nears expiry', async () => {
    const c = await client();
    tokenRequests = 0;
    const first = await c.request<{ items: { code: string }[] }>('GET', '/operator/datasets');
    expect(first.items.map((d) => d.code)).toEqual(['population']);
    await c.request('GET', '/operator/datasets');
    expect(tokenRequests).toBe(1);
    const eager = await client(24 * 3600);
    await eager.request('GET', '/operator/datasets');
    await eager.request('GET', '/operator/datasets');
    expect(tokenRequests).toBe(3);
  });

  it('raises PlatformError with the problem code', async () => {
    const c = await client();
    const err = await c.request('GET', '/operator/nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses to start without a private key', async () => {
    expect(() => new OperatorClient({ baseUrl: 'http://x', operatorId: op.id, privateJwk: { kty: 'EC', kid: 'k', x: 'a', y: 'b', crv: 'P-256' } })).toThrow(TypeError);
  });
});

describe('GET /operator/datasets', () => {
  it('shows the licensed fields as the sandbox delivers them: masked types and what each keeps', async () => {
    const c = await client();
    const { items } = await c.request<{ items: { code: string; fields: { name: string; type: string; keeps: string }[] }[] }>('GET', '/operator/datasets');
    const fields = Object.fromEntries(items[0]!.fields.map((f) => [f.name, f]));
    // the licence grants sex, birth_date, region_code and annual_income; the population policy masks the last two
    expect(Object.keys(fields).sort()).toEqual(['annual_income', 'birth_date', 'region_code', 'sex']);
    expect(fields.birth_date!.type).toBe('string');
    expect(fields.birth_date!.keeps).toMatch(/month/i);
    expect(fields.annual_income!.keeps).toMatch(/1000|round/i);
  });
});
