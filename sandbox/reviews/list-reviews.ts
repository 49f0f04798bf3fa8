// Stewards list the jobs awaiting human review that Cedar lets them review (datasets of their department).
import { asc, and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { ReviewsContext } from './context.ts';
import { jobResults, jobReviewDecisions, jobs } from '../jobs/schema.ts';
import { approvalsNeeded } from './decide-review.ts';
import { reviewSubject } from './review-subject.ts';
import { toReviewView, type ReviewView } from './review-view.ts';

/**
 * Oldest first (first in, first reviewed), with the approvals so far; a job the caller already decided is left out
 * (it waits for another steward). Throws FORBIDDEN for a caller who is not staff.
 */
export async function listReviews(ctx: ReviewsContext, page: { limit: number }): Promise<{ items: ReviewView[] }> {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only stewards review jobs');
  const rows = await ctx.database.db
    .select({ job: jobs, result: jobResults.result, record: jobResults.record })
    .from(jobs)
    .innerJoin(jobResults, eq(jobResults.jobId, jobs.id))
    .where(and(eq(jobs.status, 'review'), eq(jobs.dryRun, false)))
    .orderBy(asc(jobs.finishedAt), asc(jobs.id));
  const subjects = await Promise.all(rows.map((r) => reviewSubject(ctx.database.db, r.job)));
  const questions = subjects.map((s) => ({ action: 'ReviewJob' as const, resource: s.resource, context: { submittedBy: s.submittedBy } }));
  const allowed = rows.length === 0 ? [] : await ctx.authorizeEach(questions, 'reviews');
  const decisions = rows.length === 0 ? [] : await ctx.database.db.select().from(jobReviewDecisions).where(inArray(jobReviewDecisions.jobId, rows.map((r) => r.job.id)));
  const me = ctx.actor.id;
  const items = rows.flatMap((r, k) => {
    const own = decisions.filter((d) => d.jobId === r.job.id);
    if (!allowed[k] || own.some((d) => d.stewardId === me)) return [];
    const approvals = own.filter((d) => d.decision === 'approved').map((d) => ({ stewardId: d.stewardId, decidedAt: d.decidedAt.toISOString() }));
    return [toReviewView(r.job, subjects[k]!.departments, r, approvals, approvalsNeeded(r.job))];
  });
  return { items: items.slice(0, page.limit) };
}
