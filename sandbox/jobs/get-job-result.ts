// The released result of a job: only once it succeeded (checked and released). Jobs in review stay invisible.
// A dry run's result (synthetic data, not disclosure-checked) is shown to its operator only, marked as such.
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { JobsContext } from './context.ts';
import { jobResults, jobs } from './schema.ts';

export interface JobResultView {
  jobId: string;
  /** true: the job ran on synthetic data and its output was NOT disclosure-checked; it is not a release */
  dryRun: boolean;
  /** false for a dry run: nothing of it passed disclosure control */
  checked: boolean;
  result: unknown;
  /** the release record: code hash, data versions, policy version, every check's outcome (a dry run: its marker) */
  record: unknown;
  /** when it left: the checks' time, or the steward's approval for an output that went to human review */
  releasedAt: string;
}

/** Throws FORBIDDEN for a non-operator, NOT_FOUND until the caller's job is released (or its dry run finished). */
export async function getJobResult(ctx: JobsContext, id: string): Promise<JobResultView> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators read their results');
  const [row] = await ctx.database.db
    .select({ result: jobResults.result, record: jobResults.record, at: jobResults.createdAt, reviewedAt: jobs.reviewedAt, dryRun: jobs.dryRun })
    .from(jobResults)
    .innerJoin(jobs, eq(jobs.id, jobResults.jobId))
    .where(and(eq(jobs.id, id), eq(jobs.operatorId, ctx.actor.id), eq(jobs.status, 'succeeded')));
  if (!row) throw new AppError('NOT_FOUND', 'no released result for this job');
  return { jobId: id, dryRun: row.dryRun, checked: !row.dryRun, result: row.result, record: row.record, releasedAt: (row.reviewedAt ?? row.at).toISOString() };
}
