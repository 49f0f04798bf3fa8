// One platform under test: a gateway process started as `npm start` starts it, on a fresh PostgreSQL database or a
// fresh embedded DATA_DIR, with an operator licensed for the income job; worker processes started as `npm run worker`.
//
// The job's time slot (docs/disclosure-control.md, "Side channels") is set to its minimum (JOB_SLOT_BASE_MS=10, no
// per-cell part, so the end is rounded up to 10 ms): the slot hides the work by design, and the work is measured here.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { preparePlatform, STAFF_PASSWORD, type ScalePlatform } from './platform-client.ts';
import { freePort, memoryOf, descendants, runScript, sleep, waitForLog, waitReady, type PlatformProcess } from './processes.ts';

const SLOT = { JOB_SLOT_BASE_MS: '10', JOB_SLOT_PER_MILLION_CELLS_MS: '0' };

export interface Session {
  readonly kind: 'postgres' | 'embedded';
  readonly platform: ScalePlatform;
  readonly gateway: PlatformProcess;
  /** the session's own PostgreSQL database, undefined on the embedded default */
  readonly databaseUrl: string | undefined;
  /** starts `n` worker processes (PostgreSQL only) and waits until each says it started */
  startWorkers(n: number): Promise<Worker[]>;
  close(): Promise<void>;
}

export interface Worker {
  readonly process: PlatformProcess;
  /** the worker's node process, and its isolate processes' peaks (MB) */
  memory(): Promise<{ workerPeakMb: number; isolatePeakMb: number }>;
  stop(): Promise<void>;
}

let sessions = 0;

export async function startSession(kind: 'postgres' | 'embedded', dir: string, adminUrl: string | undefined): Promise<Session> {
  const home = join(dir, `${kind}-${sessions++}`);
  await mkdir(home, { recursive: true });
  let database: TestDatabase | undefined;
  if (kind === 'postgres') {
    if (!adminUrl) throw new Error('a PostgreSQL session needs BENCH_DATABASE_URL');
    database = await createTestDatabase({ adminUrl });
    // the bench's own connection is not needed: the gateway and the workers open theirs
    await database.database.close();
  }
  const secret = randomBytes(32).toString('hex');
  const port = await freePort();
  const common = { PSEUDONYM_SECRET: secret, LOG_LEVEL: 'warn', ...SLOT };
  const gatewayEnv: Record<string, string> = {
    ...common,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: join(home, 'data'),
    DEMO: '0',
    BOOTSTRAP_SECURITY_PASSWORD: STAFF_PASSWORD,
    BOOTSTRAP_STEWARD_PASSWORD: STAFF_PASSWORD,
    // with DATABASE_URL, `npm start` may run workers of its own (issue 13): the bench starts and counts its own
    ...(database ? { DATABASE_URL: database.url!, WORKERS: '0' } : {}),
  };
  const gateway = runScript('start', gatewayEnv, join(home, 'gateway.log'));
  const base = `http://127.0.0.1:${port}`;
  let workerCount = 0;
  const running = new Set<Worker>();
  try {
    await waitReady(`${base}/readyz`, gateway);
    const platform = await preparePlatform(base);
    return {
      kind,
      platform,
      gateway,
      databaseUrl: database?.url,
      async startWorkers(n) {
        if (!database) throw new Error('the embedded database runs its worker inside npm start');
        const started = await Promise.all(
          Array.from({ length: n }, async () => {
            const proc = runScript('worker', { ...common, DATABASE_URL: database.url! }, join(home, `worker-${workerCount++}.log`));
            await waitForLog(proc, 'worker started');
            const pid = await proc.nodePid('sandbox/worker.ts');
            const worker: Worker = {
              process: proc,
              async memory() {
                const isolates = descendants(pid).map((p) => {
                  try {
                    return memoryOf(p).peakMb;
                  } catch {
                    return 0;
                  }
                });
                return { workerPeakMb: memoryOf(pid).peakMb, isolatePeakMb: Math.max(0, ...isolates) };
              },
              async stop() {
                running.delete(worker);
                await proc.stop();
              },
            };
            running.add(worker);
            return worker;
          }),
        );
        // the isolate processes start with the first job; a moment for the workers' first poll to settle
        await sleep(500);
        return started;
      },
      async close() {
        for (const w of [...running]) await w.stop();
        await gateway.stop();
        await database?.drop();
      },
    };
  } catch (err) {
    await gateway.stop();
    await database?.drop();
    throw err;
  }
}
