// Claims the oldest queued job for a worker: FOR UPDATE SKIP LOCKED, so any number of workers on any machine sharing
// the database each get a different job without waiting on each other.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../store/index.ts';
import { jobs } from './schema.ts';

export type JobRow = typeof jobs.$inferSelect;

/**
 * Returns the claimed job (status running, leased to `workerId` for `leaseMs` by the database's clock, attempts
 * counted), or null when nothing is queued. Throws TypeError for a bad lease length.
 */
export async function claimJob(database: Database, workerId: string, leaseMs: number): Promise<JobRow | null> {
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new TypeError('leaseMs must be a positive integer');
  // one statement, one round trip: the oldest queued row, locked (skipping rows other workers hold), then claimed
  const next = database.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(eq(jobs.status, 'queued'))
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(1)
    .for('update', { skipLocked: true });
  const [claimed] = await database.db
    .update(jobs)
    .set({
      status: 'running',
      leaseOwner: workerId,
      leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
    })
    .where(and(eq(jobs.id, sql`(${next})`), eq(jobs.status, 'queued')))
    .returning();
  return claimed ?? null;
}
