// The calling operator's jobs, newest first, in pages (cursor: the last item's creation time and id).
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { JobsContext } from './context.ts';
import { toJobView, type JobView } from './job-view.ts';
import { jobs } from './schema.ts';

function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('BAD_REQUEST', 'invalid cursor');
  return { at: date, id };
}

/** Throws FORBIDDEN for a non-operator, BAD_REQUEST for a malformed cursor. */
export async function listJobs(ctx: JobsContext, page: { limit: number; cursor?: string | undefined }): Promise<{ items: JobView[]; nextCursor: string | null }> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators read their jobs');
  const after = page.cursor ? parseCursor(page.cursor) : null;
  const rows = await ctx.database.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.operatorId, ctx.actor.id), after ? or(lt(jobs.createdAt, after.at), and(eq(jobs.createdAt, after.at), lt(jobs.id, after.id))) : undefined))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(toJobView);
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null };
}
