// `npm start` as a process runs its own job workers as child processes: a job submitted over HTTP is released with
// no separately started worker, a worker that dies is restarted, and stopping (or killing) the gateway leaves no
// worker behind. On PostgreSQL (TEST_DATABASE_URL) the gateway gets DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorClient } from '../sdk/index.ts';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../store/index.ts';
import { alive, childrenOf, eventually, startGateway, type GatewayProcess } from './testing/gateway-process.ts';

const onPostgres = testDatabaseKind() === 'postgres';
const CODE = 'export function map(c) { return { keys: { sex: c.sex } }; }';
const FINAL = new Set(['succeeded', 'failed', 'rejected', 'review']);

let testDb: TestDatabase | undefined;
let dataDir: string;
let gateway: GatewayProcess;
let operator: OperatorClient;
let licenseId: string;

const workerChildren = () => childrenOf(gateway.pid).filter((c) => c.command.includes('sandbox/worker'));

async function released(): Promise<string> {
  const { id } = await operator.request<{ id: string }>('POST', '/operator/jobs', { licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: CODE });
  const status = await eventually(`job ${id} to end`, async () => {
    const job = await operator.request<{ status: string }>('GET', `/operator/jobs/${id}`);
    return FINAL.has(job.status) ? job.status : undefined;
  }, 120_000, 100);
  expect(status).toBe('succeeded');
  await operator.request('GET', `/operator/jobs/${id}/result`);
  return id;
}

describe.skipIf(!onPostgres)('npm start with DATABASE_URL runs its job workers', () => {
  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'gdp-workers-'));
    gateway = await startGateway({ DATABASE_URL: testDb.url!, PSEUDONYM_SECRET: randomBytes(32).toString('hex'), DATA_DIR: dataDir, DEMO: '1', DEMO_ROWS: '300', WORKER_ISOLATES: '1', JOB_SLOT_BASE_MS: '100' });
    operator = await gateway.demoOperator(dataDir);
    const { items } = await operator.request<{ items: { licenseId: string; code: string }[] }>('GET', '/operator/datasets');
    licenseId = items.find((i) => i.code === 'population')!.licenseId;
  }, 180_000);
  afterAll(async () => {
    if (gateway && alive(gateway.pid)) gateway.kill('SIGKILL');
    await testDb?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('releases a job submitted over HTTP, run by a worker process that is not the gateway', async () => {
    const [worker] = await eventually('a worker process', () => (workerChildren().length === 1 ? workerChildren() : undefined));
    expect(worker!.pid).not.toBe(gateway.pid);
    await released();
  }, 180_000);

  it('restarts a worker that dies, and jobs are still released', async () => {
    const [before] = workerChildren();
    process.kill(before!.pid, 'SIGKILL');
    const [after] = await eventually('a new worker process', () => {
      const now = workerChildren();
      return now.length === 1 && now[0]!.pid !== before!.pid ? now : undefined;
    }, 30_000);
    expect(alive(before!.pid)).toBe(false);
    expect(gateway.output()).toMatch(/job worker exited; restarting it/);
    await released();
    expect(workerChildren().map((c) => c.pid)).toEqual([after!.pid]);
  }, 180_000);

  it('stops its workers when it stops (SIGTERM): none is left behind', async () => {
    const pids = workerChildren().map((c) => c.pid);
    expect(pids).toHaveLength(1);
    gateway.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    await eventually('the workers to be gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 15_000);
  }, 60_000);
});
