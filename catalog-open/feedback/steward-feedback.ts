// Stewards read the feedback on their department's datasets and reply, setting its status.
import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { actorLabel, feedbackEntity } from '../../policies/index.ts';
import { recordChange, schema } from '../../store/index.ts';
import { authorizedPage } from '../applications/authorized-page.ts';
import { olderThan } from '../applications/page-cursor.ts';
import type { VerbContext } from '../context.ts';
import { feedback, FEEDBACK_STATUSES } from '../schema.ts';
import { stewardFeedbackView, type StewardFeedbackView } from './feedback-view.ts';
import { replyFeedbackSchema } from './schemas.ts';
import { parseInput } from '../applications/parse-input.ts';

const { datasets } = schema;

/**
 * Newest first, for the steward's department (SQL keeps pages full); Cedar (ReplyFeedback) decides each item.
 * Throws FORBIDDEN for non-staff, BAD_REQUEST for a bad cursor.
 */
export async function listFeedbackVerb(
  ctx: VerbContext,
  query: { status?: (typeof FEEDBACK_STATUSES)[number] | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: StewardFeedbackView[]; nextCursor: string | null }> {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only stewards answer feedback');
  const department = ctx.actor.department;
  const rows = await ctx.database.db
    .select({ row: feedback, department: datasets.department })
    .from(feedback)
    .innerJoin(datasets, eq(datasets.code, feedback.datasetCode))
    .where(
      and(
        query.status ? eq(feedback.status, query.status) : undefined,
        department !== null ? eq(datasets.department, department) : undefined,
        olderThan(feedback.createdAt, feedback.id, query.cursor),
      ),
    )
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(query.limit + 1);
  return authorizedPage(
    ctx,
    rows,
    query.limit,
    'feedback',
    (row, department) => ({ action: 'ReplyFeedback', resource: feedbackEntity({ id: row.id, department }) }),
    stewardFeedbackView,
  );
}

/** Appends a reply and sets the status, audited in the same transaction. Throws NOT_FOUND, FORBIDDEN, VALIDATION_FAILED. */
export async function replyFeedbackVerb(ctx: VerbContext, id: string, input: unknown): Promise<StewardFeedbackView> {
  const reply = parseInput(replyFeedbackSchema, input, 'invalid reply');
  const [found] = await ctx.database.db
    .select({ department: datasets.department })
    .from(feedback)
    .innerJoin(datasets, eq(datasets.code, feedback.datasetCode))
    .where(eq(feedback.id, id));
  if (!found) throw new AppError('NOT_FOUND', 'no feedback with this id');
  await ctx.authorize({ action: 'ReplyFeedback', resource: feedbackEntity({ id, department: found.department }) });
  return ctx.database.db.transaction(async (tx) => {
    const [current] = await tx.select().from(feedback).where(eq(feedback.id, id)).for('update');
    if (!current) throw new AppError('NOT_FOUND', 'no feedback with this id');
    const now = new Date();
    const entry = { at: now.toISOString(), by: actorLabel(ctx.actor), message: reply.message, status: reply.status };
    const [updated] = await tx
      .update(feedback)
      .set({ replies: [...current.replies, entry], status: reply.status, updatedAt: now })
      .where(eq(feedback.id, id))
      .returning();
    await recordChange(ctx, tx, 'open.feedback.replied', `feedback:${id}`, {
      feedbackId: id,
      dataset: current.datasetCode,
      status: { before: current.status, after: reply.status },
    });
    return stewardFeedbackView(updated!);
  });
}
