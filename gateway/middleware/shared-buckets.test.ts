// Rate limits held across gateway processes: the PostgreSQL buckets' arithmetic, two gateways (two connection pools,
// as two processes have) spending one budget, and the fallback to this process's buckets when the database fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, testDatabaseKind, type Database } from '../../store/index.ts';
import { registry } from '../../telemetry/index.ts';
import { createApp } from '../app.ts';
import { createLogger } from '../logger.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';
import { SharedBuckets } from './shared-buckets.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

const tight = { rate: 0.001, burst: 2 };

describe('SharedBuckets', () => {
  it('allows the burst, then answers the wait; buckets are independent; two holders share one bucket', async () => {
    const a = new SharedBuckets(gw.services.database);
    const b = new SharedBuckets(gw.services.database);
    expect(await a.take([{ bucket: 'ip', key: '198.51.100.1', rule: tight }])).toBe(0);
    expect(await b.take([{ bucket: 'ip', key: '198.51.100.1', rule: tight }])).toBe(0);
    const wait = await a.take([{ bucket: 'ip', key: '198.51.100.1', rule: tight }]);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(await b.take([{ bucket: 'ip', key: '198.51.100.2', rule: tight }])).toBe(0);
    expect(await b.take([{ bucket: 'auth', key: '198.51.100.1', rule: tight }])).toBe(0);
  });

  it('refills at the rule rate', async () => {
    const buckets = new SharedBuckets(gw.services.database);
    const fast = { rate: 20, burst: 1 };
    expect(await buckets.take([{ bucket: 'principal', key: 'staff:refill', rule: fast }])).toBe(0);
    expect(await buckets.take([{ bucket: 'principal', key: 'staff:refill', rule: fast }])).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(await buckets.take([{ bucket: 'principal', key: 'staff:refill', rule: fast }])).toBe(0);
  });

  it('takes every claim of a request in one statement, concurrently without losing a take', async () => {
    const buckets = new SharedBuckets(gw.services.database);
    const rule = { rate: 0.001, burst: 10 };
    const waits = await Promise.all(Array.from({ length: 25 }, () => buckets.take([{ bucket: 'ip', key: '198.51.100.9', rule }])));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
  });
});

describe('two gateways on one PostgreSQL', () => {
  it.skipIf(testDatabaseKind() === 'pglite')('refuse together once their shared sign-in budget is spent (needs a server: PGlite is one process)', async () => {
    // a second pool to the same database: what a second gateway process has
    const second: Database = await openDatabase({ url: gw.testDb.url });
    try {
      const limits = { perIp: { rate: 1000, burst: 1000 }, perPrincipal: { rate: 1000, burst: 1000 }, auth: { rate: 0.001, burst: 4 } };
      const appA = createApp({ config: gw.config, logger: createLogger('silent'), services: () => gw.services, rateLimits: limits });
      const appB = createApp({ config: gw.config, logger: createLogger('silent'), services: () => ({ ...gw.services, database: second }), rateLimits: limits });
      const attempt = (app: typeof appA) =>
        app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'wrong-password-1' }) }, { incoming: { socket: { remoteAddress: '192.0.2.77' } } });
      const statuses = [];
      for (const app of [appA, appB, appA, appB, appA, appB]) statuses.push((await attempt(app)).status);
      // each process alone would allow 4: together they allowed 4 and refused the rest
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await second.close();
    }
  });
});

describe('when the shared store fails', () => {
  it('limits in this process instead (never lets everything through, never a 500) and counts the fallback', async () => {
    const failing: Database = { ...gw.services.database, kind: 'postgres', singleSession: false, db: new Proxy(gw.services.database.db, { get: (t, p) => (p === 'execute' ? () => Promise.reject(new Error('connection lost')) : Reflect.get(t, p)) }) };
    const limits = { perIp: { rate: 0.001, burst: 2 }, perPrincipal: { rate: 1000, burst: 1000 }, auth: { rate: 1000, burst: 1000 } };
    const app = createApp({ config: gw.config, logger: createLogger('silent'), services: () => ({ ...gw.services, database: failing }), rateLimits: limits });
    const failures = async () => (await registry.getSingleMetric('rate_limit_store_failures_total')!.get()).values[0]?.value ?? 0;
    const before = await failures();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/no-such-page', {}, { incoming: { socket: { remoteAddress: '192.0.2.88' } } })).status);
    expect(statuses).toEqual([404, 404, 429]);
    expect((await failures()) - before).toBe(3);
  });

  it('answers /healthz without the database (a stalled one too), still limiting its callers in this process', async () => {
    let asked = 0;
    const stalled: Database = {
      ...gw.services.database,
      kind: 'postgres',
      singleSession: false,
      db: new Proxy(gw.services.database.db, { get: (t, p) => (p === 'execute' ? () => (asked++, new Promise(() => {})) : Reflect.get(t, p)) }),
    };
    const limits = { perIp: { rate: 0.001, burst: 2 }, perPrincipal: { rate: 1000, burst: 1000 }, auth: { rate: 1000, burst: 1000 } };
    const app = createApp({ config: gw.config, logger: createLogger('silent'), services: () => ({ ...gw.services, database: stalled }), rateLimits: limits });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/healthz', {}, { incoming: { socket: { remoteAddress: '192.0.2.89' } } })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(asked).toBe(0);
  });
});
