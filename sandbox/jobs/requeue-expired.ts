// Returns jobs whose worker died (lease expired) to the queue, or fails them once they have used their attempts.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { appendAudit, type Database } from '../../store/index.ts';
import { jobs } from './schema.ts';
import { clearShardRuns } from './shard-runs.ts';

export interface RequeueResult {
  requeued: string[];
  failed: string[];
}

/** Safe to call from every worker at once: each expired job is moved by one statement under its row lock. */
export async function requeueExpired(database: Database): Promise<RequeueResult> {
  return database.db.transaction(async (tx) => {
    const expired = and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, sql`now()`));
    const requeued = await tx
      .update(jobs)
      .set({ status: 'queued', leaseOwner: null, leaseExpiresAt: null })
      .where(and(expired, lt(jobs.attempts, jobs.maxAttempts)))
      .returning({ id: jobs.id });
    const failed = await tx
      .update(jobs)
      .set({ status: 'failed', leaseOwner: null, leaseExpiresAt: null, errorCode: 'ATTEMPTS_EXHAUSTED', errorReason: 'the job did not finish within its attempts', finishedAt: sql`now()` })
      .where(and(expired, gte(jobs.attempts, jobs.maxAttempts)))
      .returning({ id: jobs.id, operatorId: jobs.operatorId });
    // a dead coordinator's shard runs: nobody waits for them (a re-claimed job queues its own again)
    await clearShardRuns(tx, [...requeued, ...failed].map((r) => r.id));
    for (const job of failed) {
      await appendAudit(tx, { actor: { type: 'system', id: 'sandbox-worker' }, action: 'job.failed', resource: `job:${job.id}`, outcome: 'error', details: { errorCode: 'ATTEMPTS_EXHAUSTED' } });
    }
    return { requeued: requeued.map((r) => r.id), failed: failed.map((r) => r.id) };
  });
}
