// A steward approves or rejects a job's output in review. One transaction: the steward's decision (one per steward and
// job), then — once enough stewards approved, or one rejected — the status change (only from `review`, so a result is
// released at most once), the decision columns and the audit entry. A release without DP needs two approvals by
// different stewards, a DP release that the rules send to review one; nobody who submitted the job decides it.
// The budget was charged when the job was accepted; no decision charges or refunds it.
import { and, count, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { appendAudit } from '../../store/index.ts';
import { jobReviewDecisions, jobs } from '../jobs/schema.ts';
import type { ReviewsContext } from './context.ts';
import { reviewSubject } from './review-subject.ts';
import { reviewDecisionSchema, type ReviewDecisionInput } from './schemas.ts';

export interface ReviewDecisionView {
  jobId: string;
  /** `review` while approvals are still missing */
  status: 'succeeded' | 'rejected' | 'review';
  decision: 'approved' | 'rejected';
  reviewedBy: string;
  reviewedAt: string;
  approvals: number;
  approvalsNeeded: number;
}

/** Approvals a job in review needs: two different stewards for a release without DP, else one. */
export function approvalsNeeded(job: Pick<typeof jobs.$inferSelect, 'privacy'>): number {
  return job.privacy && 'none' in job.privacy ? 2 : 1;
}

/**
 * Throws FORBIDDEN (not staff; Cedar ReviewJob: other department, own submission), VALIDATION_FAILED, NOT_FOUND,
 * CONFLICT (not in review, or this steward already decided it).
 */
export async function decideReview(ctx: ReviewsContext, jobId: string, raw: ReviewDecisionInput): Promise<ReviewDecisionView> {
  const actor = ctx.actor;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only stewards review jobs');
  const parsed = reviewDecisionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid request body', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  }
  const { approve, reason } = parsed.data;
  return ctx.database.db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
    if (!job || job.dryRun) throw new AppError('NOT_FOUND', 'no job with this id');
    const subject = await reviewSubject(tx, job);
    await ctx.authorize({ action: 'ReviewJob', resource: subject.resource, context: { submittedBy: subject.submittedBy } });
    if (job.status !== 'review') throw new AppError('CONFLICT', `the job is ${job.status}, not in review`, { details: { jobStatus: job.status } });
    const decision = approve ? 'approved' : 'rejected';
    const mine = await tx.insert(jobReviewDecisions).values({ jobId, stewardId: actor.id, decision, reason }).onConflictDoNothing().returning({ at: jobReviewDecisions.decidedAt });
    if (mine.length === 0) throw new AppError('CONFLICT', 'you have already decided this job; another steward must', { details: { jobStatus: job.status } });
    const [approved] = await tx.select({ n: count() }).from(jobReviewDecisions).where(and(eq(jobReviewDecisions.jobId, jobId), eq(jobReviewDecisions.decision, 'approved')));
    const approvals = approved?.n ?? 0;
    const needed = approvalsNeeded(job);
    const audit = (status: string) =>
      appendAudit(tx, {
        actor: { type: 'staff', id: actor.id },
        action: `job.review.${decision}`,
        resource: `job:${jobId}`,
        outcome: approve ? 'ok' : 'deny',
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { operatorId: job.operatorId, departments: subject.departments, reason, released: status === 'succeeded', approvals, approvalsNeeded: needed },
      });
    if (approve && approvals < needed) {
      await audit('review');
      return { jobId, status: 'review' as const, decision, reviewedBy: actor.id, reviewedAt: mine[0]!.at.toISOString(), approvals, approvalsNeeded: needed };
    }
    const status = approve ? 'succeeded' : 'rejected';
    const [after] = await tx
      .update(jobs)
      .set({
        status,
        reviewedBy: actor.id,
        reviewDecision: decision,
        reviewReason: reason,
        reviewedAt: sql`now()`,
        ...(approve ? {} : { errorCode: 'REVIEW_REJECTED', errorReason: `rejected in review: ${reason}` }),
      })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, 'review')))
      .returning({ reviewedAt: jobs.reviewedAt });
    if (!after?.reviewedAt) throw new AppError('CONFLICT', 'the job is no longer in review');
    await audit(status);
    return { jobId, status, decision, reviewedBy: actor.id, reviewedAt: after.reviewedAt.toISOString(), approvals, approvalsNeeded: needed };
  });
}
