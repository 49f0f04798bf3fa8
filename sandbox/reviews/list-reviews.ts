// Stewards list the jobs awaiting human review that Cedar lets them review (datasets of their department).
import { asc, and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { ReviewsContext } from './context.ts';
import { jobResults, jobs } from '../jobs/schema.ts';
import { reviewSubject } from './review-subject.ts';
import { toReviewView, type ReviewView } from './review-view.ts';

/** Oldest first (first in, first reviewed). Throws FORBIDDEN for a caller who is not staff. */
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
  const items = rows.flatMap((r, k) => (allowed[k] ? [toReviewView(r.job, subjects[k]!.departments, r)] : []));
  return { items: items.slice(0, page.limit) };
}
