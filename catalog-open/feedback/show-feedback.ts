// Public reads of feedback: one item, a dataset's items, and open/resolved counts per dataset.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { Db } from '../../store/index.ts';
import { cursorOf, olderThan } from '../applications/page-cursor.ts';
import { publicDataset } from '../applications/public-dataset.ts';
import type { VerbContext } from '../context.ts';
import { feedback, FEEDBACK_STATUSES } from '../schema.ts';
import { publicFeedbackView, type PublicFeedbackView } from './feedback-view.ts';

type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** Throws NOT_FOUND. */
export async function showFeedbackVerb(ctx: VerbContext, id: string): Promise<PublicFeedbackView> {
  const [row] = /^fb_[0-9a-f-]{36}$/.test(id) ? await ctx.database.db.select().from(feedback).where(eq(feedback.id, id)) : [];
  if (!row) throw new AppError('NOT_FOUND', 'no feedback with this id');
  return publicFeedbackView(row);
}

export interface FeedbackCounts {
  /** reported and not yet closed: `open` and `in_progress` */
  open: number;
  resolved: number;
  rejected: number;
}

/** Counts per dataset code; every code asked for is present (zeros when nothing was reported). */
export async function feedbackCounts(db: Db, datasetCodes: readonly string[]): Promise<Map<string, FeedbackCounts>> {
  const counts = new Map<string, FeedbackCounts>(datasetCodes.map((c) => [c, { open: 0, resolved: 0, rejected: 0 }]));
  if (datasetCodes.length === 0) return counts;
  const rows = await db
    .select({ code: feedback.datasetCode, status: feedback.status, n: sql<number>`count(*)::int` })
    .from(feedback)
    .where(inArray(feedback.datasetCode, [...new Set(datasetCodes)]))
    .groupBy(feedback.datasetCode, feedback.status);
  for (const r of rows) {
    const c = counts.get(r.code)!;
    const n = Number(r.n);
    if (r.status === 'resolved') c.resolved += n;
    else if (r.status === 'rejected') c.rejected += n;
    else c.open += n;
  }
  return counts;
}

/**
 * A dataset's feedback, newest first. Messages are public by design (the POST says so). Throws DATASET_NOT_FOUND
 * (unknown or not_open), BAD_REQUEST.
 */
export async function listDatasetFeedbackVerb(
  ctx: VerbContext,
  code: string,
  query: { status?: FeedbackStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<{ counts: FeedbackCounts; items: PublicFeedbackView[]; nextCursor: string | null }> {
  const dataset = await publicDataset(ctx.database.db, code);
  const rows = await ctx.database.db
    .select()
    .from(feedback)
    .where(and(eq(feedback.datasetCode, dataset.code), query.status ? eq(feedback.status, query.status) : undefined, olderThan(feedback.createdAt, feedback.id, query.cursor)))
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const counts = (await feedbackCounts(ctx.database.db, [dataset.code])).get(dataset.code)!;
  return { counts, items: page.map(publicFeedbackView), nextCursor: rows.length > query.limit ? cursorOf(page.at(-1)!) : null };
}
