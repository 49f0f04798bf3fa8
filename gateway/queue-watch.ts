// The gateway keeps an eye on the job queue: workers may all be down (or never started), and a queue nobody serves
// must raise an alert rather than look slow. The check itself (one alert per episode) is sandbox/jobs/queue-health.ts.
import { checkQueueHealth } from '../sandbox/jobs/index.ts';
import type { Database } from '../store/index.ts';
import type { Logger } from './logger.ts';

const EVERY_MS = 15_000;

/** Looks every 15 s; returns the way to stop. */
export function watchQueue(database: Database, logger: Logger, everyMs = EVERY_MS): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    checkQueueHealth(database)
      .then((alertId) => {
        if (alertId) logger.warn({ alert: alertId }, 'jobs are queued and no job worker is alive: start workers (WORKERS, npm run worker)');
      })
      .catch((err: unknown) => logger.error({ err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'queue health check failed'))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
