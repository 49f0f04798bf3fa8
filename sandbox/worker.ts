// `npm run worker`: a standalone job worker process. Start any number, on any machine reaching the same PostgreSQL
// (DATABASE_URL). The embedded PGlite is one process's own: with it, `npm start` runs the worker in-process instead.
import { loadPolicies } from '../policies/index.ts';
import { migrationsApplied, openDatabase } from '../store/index.ts';
import { createIsolatePool } from './execution/index.ts';
import { createWorker, loadPseudonymSecret, slotOptionsFromEnv, type SlotOptions } from './jobs/index.ts';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  // one JSON line per event, like the gateway's logs; never a data value
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'worker', msg, ...fields })}\n`);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('error: npm run worker needs DATABASE_URL (the embedded database runs its worker inside npm start)\n');
    process.exit(2);
  }
  let secret: Uint8Array;
  let slot: SlotOptions;
  try {
    secret = await loadPseudonymSecret(process.env, undefined);
    slot = slotOptionsFromEnv(process.env);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const database = await openDatabase({ url });
  if (!(await migrationsApplied(database))) {
    process.stderr.write('error: the database is not migrated yet; start the gateway (npm start) once first\n');
    process.exit(2);
  }
  const pool = createIsolatePool({ size: Number(process.env.WORKER_ISOLATES ?? 2) });
  const worker = createWorker({ database, pool, policies: loadPolicies(), pseudonymSecret: secret, slot, onError: (err) => log('error', 'job round failed', { err: (err as Error).name, code: (err as { code?: unknown }).code }) });
  worker.start();
  log('info', 'worker started', { worker: worker.id });
  const stop = async (signal: string) => {
    log('info', 'worker stopping', { signal });
    // a job still running finishes; if we are killed instead, its lease expires and another worker retries it
    await worker.stop();
    await pool.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${(err as Error).name}\n`);
  process.exit(1);
});
