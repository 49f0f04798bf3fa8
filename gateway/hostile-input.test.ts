// A tester's sweep of malformed input over every operation in /openapi.json, through a real loopback server, on the
// suite's database (PGlite, or PostgreSQL with TEST_DATABASE_URL): every answer must be a 2xx/3xx/4xx, nothing may be
// logged as an unhandled error, and the server must still be live and serving afterwards. Counts are written to
// artifacts/hostile-sweep-<database>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { registerDataset, testDatabaseKind } from '../store/index.ts';
import { createApp } from './app.ts';
import { OpenApiSweep, type SweepRequest } from './testing/openapi-sweep.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from './testing/test-gateway.ts';
import { createTestOperator, OPERATOR_IP } from './testing/test-operator.ts';

let gw: TestGateway;
let server: ServerType;
let base: string;
const errors: string[] = [];
const credentials: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  gw = await createTestGateway();
  for (const code of ['legal_persons', 'credit_dishonest', 'social_insurance'] as const) await registerDataset(gw.services.database.db, DATASETS[code].definition);
  credentials.steward = await gw.login('steward', PASSWORDS.steward);
  credentials.security = await gw.login('security', PASSWORDS.security);
  const operator = await createTestOperator(gw, credentials.security);
  // the operator's licence admits its network only: behind one trusted proxy, the forwarded hop is that network
  credentials.operator = { ...(await operator.bearer()), 'x-forwarded-for': OPERATOR_IP };
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      errors.push(chunk.toString());
      done();
    },
  });
  const generous = { rate: 1e6, burst: 1e6 };
  const app = createApp({
    config: { ...gw.config, trustProxy: { hops: 1 } },
    logger: pino({ level: 'error' }, log),
    services: () => gw.services,
    rateLimits: { perIp: generous, perPrincipal: generous, auth: generous },
  });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await gw?.close();
});

function headersFor(path: string): Record<string, string> {
  if (path.startsWith('/steward/') || path.startsWith('/encrypted-statistics/')) return credentials.steward!;
  if (path.startsWith('/security/')) return credentials.security!;
  if (path.startsWith('/operator/')) return credentials.operator!;
  return {};
}

let retried = 0;
async function send(r: SweepRequest, retry = true): Promise<number> {
  try {
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    // a kept-alive connection the server closed (idle timeout, or an unread upload) just as the client reused it:
    // what any HTTP client retries once, on a new connection; a server that died would fail the retry too
    if (!retry) throw err;
    retried++;
    return send(r, false);
  }
}

describe('hostile input over every operation', () => {
  it('answers every request with 2xx–4xx, logs no unhandled error, and keeps serving', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as ConstructorParameters<typeof OpenApiSweep>[0];
    const requests = new OpenApiSweep(doc).requests(headersFor);
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const byClass: Record<string, number> = {};
    const failures: string[] = [];
    let next = 0;
    // a few at a time: enough to interleave, not a load test (load.test.ts is)
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < requests.length) {
          const r = requests[next++]!;
          const status = await send(r).catch((err: unknown) => {
            failures.push(`${r.label}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause)}`);
            return 0;
          });
          byClass[`${Math.floor(status / 100)}xx`] = (byClass[`${Math.floor(status / 100)}xx`] ?? 0) + 1;
          if (status >= 500) failures.push(`${r.label}: ${status}`);
        }
      }),
    );
    const summary = { database: testDatabaseKind(), operations, requests: requests.length, byClass, retried, failures: failures.length };
    mkdirSync(join(import.meta.dirname, '..', 'artifacts'), { recursive: true });
    writeFileSync(join(import.meta.dirname, '..', 'artifacts', `hostile-sweep-${summary.database}.json`), `${JSON.stringify({ ...summary, failures }, null, 2)}\n`);
    console.info(`hostile sweep: ${JSON.stringify(summary)}`);

    expect(operations).toBeGreaterThanOrEqual(60);
    expect(requests.length).toBeGreaterThan(3000);
    expect(failures).toEqual([]);
    expect(retried).toBeLessThan(10);
    expect(errors.filter((line) => line.includes('unhandled'))).toEqual([]);
    // still live, ready, and answering a plain request
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/open/datasets`)).status).toBe(200);
  }, 600_000);
});
