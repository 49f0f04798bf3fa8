// A bounded load over loopback: 200 connections at once, each sending audited requests back to back, three rounds, on
// the suite's database. Every answer must have exactly one audit entry (found by its request id), the hash chain must
// verify afterwards, and the server must be alive after each round. Figures go to artifacts/load-<database>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { registerDataset, schema, testDatabaseKind, verifyAudit } from '../store/index.ts';
import { createApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from './testing/test-gateway.ts';

const CONNECTIONS = 200;
const REQUESTS_PER_CONNECTION = 5;
const ROUNDS = 3;

let gw: TestGateway;
let server: ServerType;
let port: number;
let steward: Record<string, string>;

beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
  steward = await gw.login('steward', PASSWORDS.steward);
  // limits high enough that every request does the full work (rate limits have their own tests)
  const generous = { rate: 1e6, burst: 1e6 };
  const app = createApp({ config: gw.config, logger: createLogger('silent'), services: () => gw.services, rateLimits: { perIp: generous, perPrincipal: generous, auth: generous } });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await gw?.close();
});

interface Answer {
  status: number;
  requestId: string;
  ms: number;
}

function get(agent: Agent, path: string, requestId: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { ...steward, 'x-request-id': requestId } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id']), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

describe(`${CONNECTIONS} connections of audited requests`, () => {
  it(`answers every request, audits each answer once, keeps a valid chain, ${ROUNDS} rounds in a row`, async () => {
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      const started = performance.now();
      const answers = (
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async (_, c) => {
            const out: Answer[] = [];
            for (let i = 0; i < REQUESTS_PER_CONNECTION; i++) {
              // a list, one dataset, and a dataset that does not exist: reads, a policy decision each, and a 404
              const path = ['/steward/datasets', '/steward/datasets/legal_persons', '/steward/datasets/no_such_dataset'][i % 3]!;
              out.push(await get(agent, path, `load-${round}-${c}-${i}`));
            }
            return out;
          }),
        )
      ).flat();
      const seconds = (performance.now() - started) / 1000;
      agent.destroy();

      expect(answers).toHaveLength(CONNECTIONS * REQUESTS_PER_CONNECTION);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const entries = await gw.services.database.db
        .select({ requestId: schema.auditLog.requestId })
        .from(schema.auditLog)
        .where(and(like(schema.auditLog.requestId, `load-${round}-%`), eq(schema.auditLog.action, 'http.request')));
      const perRequest = new Map<string, number>();
      for (const e of entries) perRequest.set(e.requestId!, (perRequest.get(e.requestId!) ?? 0) + 1);
      // one http.request entry per answer (the policy decisions of the verbs are entries of their own)
      expect(answers.filter((a) => perRequest.get(a.requestId) !== 1)).toEqual([]);
      expect(entries).toHaveLength(answers.length);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
      rounds.push({
        round,
        requests: answers.length,
        statuses: Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length])),
        requestsPerSecond: Math.round(answers.length / seconds),
        p50Ms: Math.round(percentile(ms, 50)),
        p99Ms: Math.round(percentile(ms, 99)),
      });
    }
    const verification = await verifyAudit(gw.services.database);
    expect(verification).toMatchObject({ valid: true, firstInvalidSeq: null });

    const summary = { database: testDatabaseKind(), node: process.version, connections: CONNECTIONS, rounds, auditEntries: verification.entries };
    mkdirSync(join(import.meta.dirname, '..', 'artifacts'), { recursive: true });
    writeFileSync(join(import.meta.dirname, '..', 'artifacts', `load-${summary.database}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    console.info(`load: ${JSON.stringify(summary)}`);
  }, 600_000);
});
