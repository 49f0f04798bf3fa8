// `npm run worker`: a standalone job worker process. Start any number, on any machine reaching the same PostgreSQL
// (DATABASE_URL). `npm start` also runs WORKERS of them as its children (gateway/worker-processes.ts): on the
// embedded default they reach the embedded database's process through its socket (EMBEDDED_SOCKET), and the gateway
// wakes them over IPC; a child whose gateway goes away stops too.
import { loadPolicies } from '../policies/index.ts';
import { migrationsApplied, openDatabase, runInBackground } from '../store/index.ts';
import { createIsolatePool } from './execution/index.ts';
import { createWorker, loadPseudonymSecret, slotOptionsFromEnv, type SlotOptions } from './jobs/index.ts';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  // one JSON line per event, like the gateway's logs; never a data value
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'worker', pid: process.pid, msg, ...fields })}\n`);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const socket = process.env.EMBEDDED_SOCKET;
  if (!url && !socket) {
    process.stderr.write('error: npm run worker needs DATABASE_URL (on the embedded database, npm start runs its workers itself)\n');
    process.exit(2);
  }
  let secret: Uint8Array;
  let slot: SlotOptions;
  try {
    // the embedded default keeps its secret under DATA_DIR; a shared server's comes from PSEUDONYM_SECRET
    secret = await loadPseudonymSecret(process.env, url ? undefined : (process.env.DATA_DIR ?? './.data'));
    slot = slotOptionsFromEnv(process.env);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const database = await openDatabase(url ? { url } : { embeddedSocket: socket });
  if (!(await migrationsApplied(database))) {
    process.stderr.write('error: the database is not migrated yet; start the gateway (npm start) once first\n');
    process.exit(2);
  }
  // jobs are batch work: on a machine shared with a gateway (npm start's children), its event loop comes first; the
  // isolate processes inherit this
  runInBackground();
  const pool = createIsolatePool({ size: Number(process.env.WORKER_ISOLATES ?? 2) });
  // on the embedded database NOTIFY cannot reach a worker, but npm start wakes its children: the poll is only a backstop
  const backstop = socket && process.send ? { pollMs: 10_000 } : {};
  const share = process.env.SHARE_SHARD_RUNS ?? '0';
  if (share !== '0' && share !== '1') {
    process.stderr.write('error: SHARE_SHARD_RUNS must be 0 or 1\n');
    process.exit(2);
  }
  const worker = createWorker({ database, pool, policies: loadPolicies(), pseudonymSecret: secret, slot, ...backstop, shareShardRuns: share === '1', onError: (err) => log('error', 'job round failed', { err: (err as Error).name, code: (err as { code?: unknown }).code }), onJobEnd: (job) => log('info', 'job ran', { job: job.id, status: job.status }) });
  worker.start();
  log('info', 'worker started', { worker: worker.id });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'worker stopping', { signal });
    // a job still running finishes; if we are killed instead, its lease expires and another worker retries it
    await worker.stop();
    await pool.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  if (process.send) {
    // a child of npm start: woken when the gateway queues a job, and gone when the gateway is
    process.on('message', (m: { t?: unknown }) => {
      if (m?.t === 'wake') worker.wake();
    });
    process.once('disconnect', () => void stop('disconnect'));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).name}\n`);
  process.exit(1);
});
