// Anyone reports a problem with a dataset: wrong, missing, stale, badly formatted data.
import { randomUUID } from 'node:crypto';
import { parseInput } from '../applications/parse-input.ts';
import { publicDataset } from '../applications/public-dataset.ts';
import { recordChange } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { feedback } from '../schema.ts';
import { submitFeedbackSchema } from './schemas.ts';

/** Throws VALIDATION_FAILED, DATASET_NOT_FOUND (also for a not_open dataset, which the public never sees). */
export async function submitFeedbackVerb(ctx: VerbContext, input: unknown): Promise<{ id: string }> {
  const report = parseInput(submitFeedbackSchema, input, 'invalid feedback');
  const dataset = await publicDataset(ctx.database.db, report.dataset);
  const id = `fb_${randomUUID()}`;
  await ctx.database.db.transaction(async (tx) => {
    await tx.insert(feedback).values({
      id,
      datasetCode: dataset.code,
      departmentCode: dataset.departmentCode,
      kind: report.kind,
      message: report.message,
      contact: report.contact ?? null,
    });
    // neither the message nor the contact: the audit names what was reported on
    await recordChange(ctx, tx, 'open.feedback.submitted', `feedback:${id}`, { feedbackId: id, dataset: dataset.code, kind: report.kind });
  });
  return { id };
}
