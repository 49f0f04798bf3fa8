// Finishes a job in ONE transaction, only while the calling worker still holds its lease: the result row (its primary
// key makes the release exactly-once), the released cells, the status, a refund for a job that never read data, the
// audit events and the alerts. The budget was charged when the job was accepted. A worker that lost its lease
// changes nothing.
import { and, eq, gt, sql } from 'drizzle-orm';
import { appendAudit, type Database } from '../../store/index.ts';
import { sketchToBytes } from '../reduce/index.ts';
import type { ReleasedCellRecord } from '../disclosure/index.ts';
import { alertsForJobEnd } from '../alerts/index.ts';
import { refundBudgets } from './budget.ts';
import { jobResults, jobs, releasedCells, type JobStatus } from './schema.ts';

export type JobOutcome =
  | {
      status: Extract<JobStatus, 'succeeded' | 'review' | 'rejected'>;
      /** null: nothing to keep (a job refused before any release was computed) */
      result: unknown;
      record: unknown;
      releasedCells: readonly ReleasedCellRecord[];
      /** a refusal's fixed code and text, for the operator */
      refusal?: { code: string; reason: string };
      /** the model's emission for a row depended on other rows (the row-locality check) */
      notLocal?: { part: string };
      /** dry runs: the sandbox's figures (synthetic data: nothing to hide) */
      usage?: Record<string, unknown> | null;
    }
  | {
      status: 'failed';
      /** what the operator sees: fixed code and text (a real run's failure on real data is RUN_FAILED, whatever it was) */
      errorCode: string;
      reason: string;
      /** the sandbox's own code, for staff and alerts only */
      internalCode?: string;
      /** the job read no real row: its budget is given back */
      refund?: boolean;
      usage?: Record<string, unknown> | null;
    };

/** Returns true when this call finished the job, false when the worker no longer holds the lease (or a result exists). */
export async function completeJob(database: Database, jobId: string, workerId: string, outcome: JobOutcome, timing: { slotMs: number | null } = { slotMs: null }): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const [job] = await tx
      .select({ id: jobs.id, licenseId: jobs.licenseId, operatorId: jobs.operatorId, code: jobs.code, dryRun: jobs.dryRun, rhoNano: jobs.rhoNano, datasets: jobs.datasets, createdAt: jobs.createdAt })
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.leaseOwner, workerId), gt(jobs.leaseExpiresAt, sql`now()`)))
      .for('update');
    if (!job) return false;
    const system = { type: 'system', id: 'sandbox-worker' } as const;
    // what a real run shows of itself: its slot only (a dry run's figures come from synthetic data)
    const usage = job.dryRun ? (outcome.usage ?? null) : timing.slotMs === null ? null : { slotMs: timing.slotMs };
    const ended = { finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null, usage, slotMs: timing.slotMs };
    if (outcome.status === 'failed') {
      await tx.update(jobs).set({ status: 'failed', errorCode: outcome.errorCode, errorReason: outcome.reason, ...ended }).where(eq(jobs.id, jobId));
      const refunded = outcome.refund === true && job.rhoNano > 0;
      if (refunded) {
        await refundBudgets(tx, job.licenseId, job.datasets[0]!.code, job.rhoNano, job.createdAt);
        await appendAudit(tx, { actor: system, action: 'budget.refunded', resource: `license:${job.licenseId}`, outcome: 'ok', details: { jobId, rhoNano: job.rhoNano } });
      }
      const internal = outcome.internalCode ?? outcome.errorCode;
      await appendAudit(tx, { actor: system, action: 'job.failed', resource: `job:${jobId}`, outcome: 'error', details: { errorCode: outcome.errorCode, internalCode: internal, worker: workerId, refunded } });
      // high-risk failures (probing removed globals, crashes, oversize output) raise their alert with the failure
      await alertsForJobEnd(tx, job, { status: 'failed', errorCode: internal, reason: outcome.reason, onRealData: !job.dryRun && outcome.refund !== true });
      return true;
    }
    if (outcome.result !== null) {
      const inserted = await tx.insert(jobResults).values({ jobId, result: outcome.result, record: outcome.record }).onConflictDoNothing().returning({ jobId: jobResults.jobId });
      if (inserted.length === 0) return false;
    }
    if (outcome.releasedCells.length > 0) {
      await tx.insert(releasedCells).values(
        outcome.releasedCells.map((c) => ({ dataset: c.dataset, jobId, output: c.output, labels: [...c.labels], population: c.population, sketch: sketchToBytes(c.sketch), withheld: c.withheld === true })),
      );
    }
    const refused = outcome.refusal ? { errorCode: outcome.refusal.code, errorReason: outcome.refusal.reason } : {};
    await tx.update(jobs).set({ status: outcome.status, ...refused, ...ended }).where(eq(jobs.id, jobId));
    await appendAudit(tx, {
      actor: system,
      action: `job.${outcome.status}`,
      resource: `job:${jobId}`,
      outcome: outcome.status === 'rejected' ? 'deny' : 'ok',
      details: { worker: workerId, releasedCells: outcome.releasedCells.length, rhoNano: job.rhoNano, ...(outcome.refusal ? { refusal: outcome.refusal.code } : {}), ...(outcome.notLocal ? { notLocal: outcome.notLocal.part } : {}) },
    });
    await alertsForJobEnd(tx, job, { status: outcome.status, record: outcome.record, ...(outcome.notLocal ? { notLocal: true } : {}) });
    return true;
  });
}
