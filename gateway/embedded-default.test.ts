// `npm start` on its embedded defaults, as a process: PGlite runs in a process of its own and jobs in a worker process,
// so the gateway keeps answering while a large job runs; a second start on the same DATA_DIR stops in one line; a
// stop leaves nothing behind. (On PostgreSQL runs this is skipped: it does not use the server.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorClient } from '../sdk/index.ts';
import { testDatabaseKind } from '../store/index.ts';
import { alive, childrenOf, eventually, freePort, startGateway, type GatewayProcess } from './testing/gateway-process.ts';

const FINAL = new Set(['succeeded', 'failed', 'rejected', 'review']);
// a model that does real work per row: income by age band over every resident
const MODEL = `export function map(c) {
  const birth = c.birth_date, income = c.annual_income, n = income.length;
  const bandOf = birth.dictionary.map((t) => { const y = Number(t.slice(0, 4)); return y < 1965 ? 0 : y < 1990 ? 1 : 2; });
  const codes = new Int32Array(n), values = new Float64Array(n);
  for (let i = 0; i < n; i++) { const k = birth.codes[i]; codes[i] = k >= 0 ? bandOf[k] : 2; values[i] = Number.isNaN(income[i]) ? 0 : income[i]; }
  return { keys: { band: { codes, dictionary: ['old', 'mid', 'young'] } }, measures: { income: values } };
}`;

let dataDir: string;
let gateway: GatewayProcess;
let operator: OperatorClient;
let licenseId: string;

describe.skipIf(testDatabaseKind() === 'postgres')('npm start on the embedded defaults', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gdp-embedded-'));
    gateway = await startGateway({ DATA_DIR: dataDir, DEMO_ROWS: '60000', WORKER_ISOLATES: '1' }, 240_000);
    operator = await gateway.demoOperator(dataDir);
    const { items } = await operator.request<{ items: { licenseId: string; code: string }[] }>('GET', '/operator/datasets');
    licenseId = items.find((i) => i.code === 'population')!.licenseId;
  }, 300_000);
  afterAll(async () => {
    if (gateway && alive(gateway.pid)) gateway.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps answering /healthz while a large job runs, and the job runs in a worker process, not the gateway', async () => {
    const children = childrenOf(gateway.pid);
    const host = children.find((c) => c.command.includes('store/embedded/host'));
    const worker = children.find((c) => c.command.includes('sandbox/worker'));
    expect(host).toBeDefined();
    expect(worker).toBeDefined();
    const { id } = await operator.request<{ id: string }>('POST', '/operator/jobs', {
      licenseId,
      datasets: [{ code: 'population', fields: ['birth_date', 'annual_income'] }],
      code: MODEL,
      outputs: [{ name: 'income', kind: 'mean', measure: 'income', by: ['band'], bounds: { lo: 0, hi: 500000 }, domain: { band: ['old', 'mid', 'young'] } }],
    });
    // health checks one after another while the job is followed: some must be answered while it is running
    let answeredWhileRunning = 0;
    let job = { status: 'queued' };
    while (!FINAL.has(job.status)) {
      const before = job.status;
      const health = await fetch(`${gateway.url}/healthz`);
      expect(health.status).toBe(200);
      job = await operator.request<{ status: string }>('GET', `/operator/jobs/${id}`);
      if (before === 'running' && job.status === 'running') answeredWhileRunning++;
    }
    if (job.status !== 'succeeded') process.stderr.write(`${JSON.stringify(job)}\n${gateway.output().slice(-4000)}\n`);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(answeredWhileRunning).toBeGreaterThan(0);
    // the worker process says it ran this job; the gateway never did
    const ran = gateway
      .output()
      .split('\n')
      .filter((l) => l.includes('"job ran"'))
      .map((l) => JSON.parse(l) as { pid: number; job: string; status: string });
    expect(ran).toContainEqual(expect.objectContaining({ job: id, status: 'succeeded', pid: worker!.pid }));
    expect(worker!.pid).not.toBe(gateway.pid);
  }, 300_000);

  it('a second start on the same DATA_DIR stops at once with one line saying why', async () => {
    const run = promisify(execFile);
    const second = await run(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: the embedded database is in use by process \d+ .*stop it or use DATABASE_URL$/)]);
    // the running platform is untouched
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  }, 120_000);

  it('stops cleanly on SIGTERM: the database process and the workers go with it', async () => {
    const pids = childrenOf(gateway.pid)
      .filter((c) => /store\/embedded\/host|sandbox\/worker/.test(c.command))
      .map((c) => c.pid);
    expect(pids).toHaveLength(2);
    gateway.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    await eventually('its children to be gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 15_000);
  }, 60_000);

  it('killed outright (SIGKILL), it leaves no worker or database process behind, and the next start works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdp-embedded-kill-'));
    try {
      const first = await startGateway({ DATA_DIR: dir, DEMO: '0', WORKERS: '2' });
      const pids = await eventually('a database and two workers', () => {
        const found = childrenOf(first.pid).filter((c) => /store\/embedded\/host|sandbox\/worker/.test(c.command));
        return found.length === 3 ? found.map((c) => c.pid) : undefined;
      });
      first.kill('SIGKILL');
      await first.exited;
      await eventually('its children to stop on their own', () => (pids.every((p) => !alive(p)) ? true : undefined), 30_000);
      // the directory's lock went with its owner: a new start takes it
      const second = await startGateway({ DATA_DIR: dir, DEMO: '0', WORKERS: '0' });
      expect(childrenOf(second.pid).filter((c) => c.command.includes('sandbox/worker'))).toEqual([]);
      second.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
