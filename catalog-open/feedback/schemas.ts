// Zod inputs of data-quality feedback (问题数据反馈).
import { z } from 'zod';
import { FEEDBACK_KINDS, FEEDBACK_STATUSES } from '../schema.ts';

/** POST /open/feedback. The message is published with the dataset; the contact is seen only by stewards. */
export const submitFeedbackSchema = z.object({
  dataset: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'a dataset code: lower-case letters, digits and _'),
  kind: z.enum(FEEDBACK_KINDS),
  message: z.string().trim().min(5).max(2000),
  contact: z.string().trim().min(3).max(200).optional(),
});

/** POST /steward/feedback/{id}/reply */
export const replyFeedbackSchema = z.object({
  message: z.string().trim().min(2).max(2000),
  status: z.enum(FEEDBACK_STATUSES),
});

export type SubmitFeedbackInput = z.infer<typeof submitFeedbackSchema>;
export type ReplyFeedbackInput = z.infer<typeof replyFeedbackSchema>;
