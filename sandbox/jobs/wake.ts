// How workers learn there is work: a NOTIFY on one channel, sent in the transaction that queued the work, so it
// arrives exactly when the job is visible. Workers LISTEN (PostgreSQL, or PGlite in one process); where that cannot
// reach them (the embedded host's one session) `npm start` wakes its worker directly. A slow poll remains the backstop
// for leases that expire on their own.
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/index.ts';

export const JOBS_CHANNEL = 'gdp_jobs';

/** Queues a wake-up of every listening worker, delivered when `tx` commits (nothing if it rolls back). */
export async function notifyWorkers(tx: Pick<Db, 'execute'>): Promise<void> {
  await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
}
