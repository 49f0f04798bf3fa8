// `npm start` with the embedded database runs one job worker in its own process: PGlite cannot be shared with a
// separate `npm run worker`. With DATABASE_URL, run workers with `npm run worker` (as many as wanted).
import { createIsolatePool } from '../sandbox/execution/index.ts';
import { createWorker, loadPseudonymSecret } from '../sandbox/jobs/index.ts';
import { pseudonymSecretEnv, type Config } from './config.ts';
import type { Services } from './context.ts';
import type { Logger } from './logger.ts';

/** Returns a stop function, or null when no in-process worker runs (a PostgreSQL deployment). */
export async function startInProcessWorker(services: Services, config: Config, logger: Logger): Promise<(() => Promise<void>) | null> {
  if (config.databaseUrl) return null;
  const pool = createIsolatePool({ size: 1 });
  const worker = createWorker({
    database: services.database,
    pool,
    policies: services.policies,
    pseudonymSecret: await loadPseudonymSecret(pseudonymSecretEnv(config), config.dataDir),
    slot: config.jobSlot,
    onError: (err) => logger.error({ err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'job round failed'),
  });
  worker.start();
  logger.info({ worker: worker.id }, 'in-process job worker started');
  return async () => {
    await worker.stop();
    await pool.close();
  };
}
