// Extends a worker's lease on its running job; false means the lease was lost (expired and taken) — stop working on it.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../store/index.ts';
import { jobs } from './schema.ts';

export async function heartbeat(database: Database, jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new TypeError('leaseMs must be a positive integer');
  const rows = await database.db
    .update(jobs)
    .set({ leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    // an expired lease is not renewed: requeueExpired may already have handed the job to another worker
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.leaseOwner, workerId), gt(jobs.leaseExpiresAt, sql`now()`)))
    .returning({ id: jobs.id });
  return rows.length === 1;
}
