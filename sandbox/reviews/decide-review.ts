// A steward approves or rejects a job's output in review. One transaction: the status change (only from `review`,
// so a result is released at most once), the decision columns and the audit entry. The ε was charged when the checks
// ran; neither decision charges or refunds it (a rejection does not give back what a steward has already seen).
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { appendAudit } from '../../store/index.ts';
import { jobs } from '../jobs/schema.ts';
import type { ReviewsContext } from './context.ts';
import { reviewSubject } from './review-subject.ts';
import { reviewDecisionSchema, type ReviewDecisionInput } from './schemas.ts';

export interface ReviewDecisionView {
  jobId: string;
  status: 'succeeded' | 'rejected';
  decision: 'approved' | 'rejected';
  reviewedBy: string;
  reviewedAt: string;
}

/** Throws FORBIDDEN (not staff; Cedar ReviewJob: other department, own submission), VALIDATION_FAILED, NOT_FOUND, CONFLICT (not in review). */
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
    await appendAudit(tx, {
      actor: { type: 'staff', id: actor.id },
      action: `job.review.${decision}`,
      resource: `job:${jobId}`,
      outcome: approve ? 'ok' : 'deny',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { operatorId: job.operatorId, departments: subject.departments, reason, released: approve },
    });
    return { jobId, status, decision, reviewedBy: actor.id, reviewedAt: after.reviewedAt.toISOString() };
  });
}
