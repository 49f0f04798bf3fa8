import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/index.ts';
import { createApp } from '../app.ts';
import { createLogger } from '../logger.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { TokenBuckets } from './rate-limit.ts';

describe('TokenBuckets', () => {
  it('allows the burst, then refills at the rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ rate: 2, burst: 3 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBeCloseTo(0.5);
    expect(buckets.take('b')).toBe(0);
    now += 500;
    expect(buckets.take('a')).toBe(0);
  });
});

describe('rate limits on the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway();
  });
  afterAll(() => gw.close());

  it('answers 429 with Retry-After on /auth/* past the burst, per IP', async () => {
    const app = createApp({
      config: gw.config,
      logger: createLogger('silent'),
      services: () => gw.services,
      rateLimits: { perIp: { rate: 1000, burst: 1000 }, perPrincipal: { rate: 1000, burst: 1000 }, auth: { rate: 0.01, burst: 3 } },
    });
    const attempt = (ip: string) =>
      app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y' }) }, { incoming: { socket: { remoteAddress: ip } } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt('192.0.2.1')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt('192.0.2.1');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect((await attempt('192.0.2.2')).status).toBe(401);
  });

  it('limits each principal on its own', async () => {
    const app = createApp({
      config: gw.config,
      logger: createLogger('silent'),
      services: () => gw.services,
      rateLimits: { perIp: { rate: 1000, burst: 1000 }, perPrincipal: { rate: 0.01, burst: 2 }, auth: { rate: 1000, burst: 1000 } },
    });
    const steward = await gw.login('steward', PASSWORDS.steward);
    const security = await gw.login('security', PASSWORDS.security);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.request('/steward/datasets', { headers: steward })).status);
    expect(codes).toEqual([200, 200, 429]);
    expect((await app.request('/steward/datasets', { headers: security })).status).toBe(200);
  });

  it('audits a per-principal 429 under the route it was for, not the middleware that refused it', async () => {
    const app = createApp({
      config: gw.config,
      logger: createLogger('silent'),
      services: () => gw.services,
      rateLimits: { perIp: { rate: 1000, burst: 1000 }, perPrincipal: { rate: 0.01, burst: 1 }, auth: { rate: 1000, burst: 1000 } },
    });
    const steward = await gw.login('steward', PASSWORDS.steward);
    const ask = (id: string) => app.request('/steward/datasets/legal_persons', { headers: { ...steward, 'x-request-id': id } });
    await ask('limit-first');
    expect((await ask('limit-429')).status).toBe(429);
    const { items } = await listAudit(gw.services.database.db, {}, { limit: 20 });
    expect(items.find((e) => e.requestId === 'limit-429')).toMatchObject({
      action: 'http.request',
      resource: 'GET /steward/datasets/:code',
      outcome: 'error',
      details: { status: 429 },
    });
  });
});
