// Finishes a job in ONE transaction, only while the calling worker still holds its lease: the result row (its primary
// key makes the release exactly-once), the ε charge (compare-and-set per account), the released cells, the status
// and the audit events. A worker that lost its lease changes nothing.
import { and, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { appendAudit, type Database } from '../../store/index.ts';
import { sketchToBytes } from '../reduce/index.ts';
import type { ReleasedCellRecord } from '../disclosure/index.ts';
import { alertsForJobEnd } from '../alerts/index.ts';
import { budgetLedger, jobResults, jobs, releasedCells, type JobStatus } from './schema.ts';

/** One account's charge: the state the worker read (spent, version) and what it spends now. */
export interface AccountCharge {
  dataset: string;
  spentMicroBefore: number;
  /** null when the account did not exist when read */
  versionBefore: number | null;
  spentMicroAfter: number;
}

export type JobOutcome =
  | {
      status: Extract<JobStatus, 'succeeded' | 'review' | 'rejected'>;
      result: unknown;
      record: unknown;
      charges: readonly AccountCharge[];
      releasedCells: readonly ReleasedCellRecord[];
      usage: Record<string, unknown> | null;
      /** for a refused release: which checks failed, by name only, so the operator can change the job */
      refusal?: string;
    }
  | { status: 'failed'; errorCode: string; reason: string; usage: Record<string, unknown> | null };

/** Thrown when another job charged the same account meanwhile: the caller re-reads the ledger and checks again. */
export class BudgetConflict extends AppError {
  constructor() {
    super('CONFLICT', 'the privacy budget changed while the job ran');
  }
}

/**
 * Returns true when this call finished the job, false when the worker no longer holds the lease (or a result
 * already exists). Throws BudgetConflict when an account's version moved (nothing is written).
 */
export async function completeJob(database: Database, jobId: string, workerId: string, outcome: JobOutcome): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const [job] = await tx
      .select({ id: jobs.id, licenseId: jobs.licenseId, operatorId: jobs.operatorId, code: jobs.code })
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.leaseOwner, workerId), gt(jobs.leaseExpiresAt, sql`now()`)))
      .for('update');
    if (!job) return false;
    const system = { type: 'system', id: 'sandbox-worker' } as const;
    if (outcome.status === 'failed') {
      await tx
        .update(jobs)
        .set({ status: 'failed', errorCode: outcome.errorCode, errorReason: outcome.reason, usage: outcome.usage, finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null })
        .where(eq(jobs.id, jobId));
      await appendAudit(tx, { actor: system, action: 'job.failed', resource: `job:${jobId}`, outcome: 'error', details: { errorCode: outcome.errorCode, worker: workerId } });
      // high-risk failures (probing removed globals, crashes, oversize output) raise their alert with the failure
      await alertsForJobEnd(tx, job, { status: 'failed', errorCode: outcome.errorCode, reason: outcome.reason });
      return true;
    }
    const inserted = await tx.insert(jobResults).values({ jobId, result: outcome.result, record: outcome.record }).onConflictDoNothing().returning({ jobId: jobResults.jobId });
    if (inserted.length === 0) return false;
    for (const charge of outcome.charges) {
      const moved =
        charge.versionBefore === null
          ? await tx.insert(budgetLedger).values({ licenseId: job.licenseId, dataset: charge.dataset, spentMicro: charge.spentMicroAfter, version: 1 }).onConflictDoNothing().returning({ v: budgetLedger.version })
          : await tx
              .update(budgetLedger)
              .set({ spentMicro: charge.spentMicroAfter, version: sql`${budgetLedger.version} + 1` })
              .where(and(eq(budgetLedger.licenseId, job.licenseId), eq(budgetLedger.dataset, charge.dataset), eq(budgetLedger.version, charge.versionBefore)))
              .returning({ v: budgetLedger.version });
      if (moved.length === 0) throw new BudgetConflict();
    }
    if (outcome.releasedCells.length > 0) {
      await tx.insert(releasedCells).values(
        outcome.releasedCells.map((c) => ({ dataset: c.dataset, jobId, output: c.output, labels: [...c.labels], population: c.population, sketch: sketchToBytes(c.sketch) })),
      );
    }
    const refused = outcome.status === 'rejected' ? { errorCode: 'RELEASE_REFUSED', errorReason: outcome.refusal ?? 'the release checks refused the output' } : {};
    await tx.update(jobs).set({ status: outcome.status, ...refused, usage: outcome.usage, finishedAt: sql`now()`, leaseOwner: null, leaseExpiresAt: null }).where(eq(jobs.id, jobId));
    const epsilon = outcome.charges.reduce((s, c) => s + (c.spentMicroAfter - c.spentMicroBefore), 0) / 1e6;
    if (outcome.charges.length > 0) {
      await appendAudit(tx, { actor: system, action: 'budget.charged', resource: `license:${job.licenseId}`, outcome: 'ok', details: { jobId, datasets: outcome.charges.map((c) => c.dataset), epsilon } });
    }
    await appendAudit(tx, {
      actor: system,
      action: `job.${outcome.status}`,
      resource: `job:${jobId}`,
      outcome: outcome.status === 'rejected' ? 'deny' : 'ok',
      details: { worker: workerId, releasedCells: outcome.releasedCells.length, epsilon },
    });
    await alertsForJobEnd(tx, job, { status: outcome.status, record: outcome.record });
    return true;
  });
}
