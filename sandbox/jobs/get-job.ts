// One job of the calling operator. Another operator's job is NOT_FOUND (not visible), never FORBIDDEN.
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { JobsContext } from './context.ts';
import { toJobView, type JobView } from './job-view.ts';
import { waitingFor } from './queue-health.ts';
import { jobs } from './schema.ts';

/** Throws FORBIDDEN for a non-operator, NOT_FOUND for a job that is not the caller's. A queued job nobody can run says why. */
export async function getJob(ctx: JobsContext, id: string): Promise<JobView> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators read their jobs');
  const [row] = await ctx.database.db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.operatorId, ctx.actor.id)));
  if (!row) throw new AppError('NOT_FOUND', 'no such job');
  const waiting = await waitingFor(ctx.database.db, row);
  return { ...toJobView(row), ...(waiting ? { waiting } : {}) };
}
