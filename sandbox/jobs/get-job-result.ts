// The released result of a job: only once it succeeded (checked and released). Jobs in review stay invisible.
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { JobsContext } from './context.ts';
import { jobResults, jobs } from './schema.ts';

export interface JobResultView {
  jobId: string;
  result: unknown;
  /** the release record: code hash, data versions, policy version, every check's outcome */
  record: unknown;
  releasedAt: string;
}

/** Throws FORBIDDEN for a non-operator, NOT_FOUND until the caller's job is released. */
export async function getJobResult(ctx: JobsContext, id: string): Promise<JobResultView> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators read their results');
  const [row] = await ctx.database.db
    .select({ result: jobResults.result, record: jobResults.record, at: jobResults.createdAt })
    .from(jobResults)
    .innerJoin(jobs, eq(jobs.id, jobResults.jobId))
    .where(and(eq(jobs.id, id), eq(jobs.operatorId, ctx.actor.id), eq(jobs.status, 'succeeded')));
  if (!row) throw new AppError('NOT_FOUND', 'no released result for this job');
  return { jobId: id, result: row.result, record: row.record, releasedAt: row.at.toISOString() };
}
