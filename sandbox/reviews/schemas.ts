// Zod input of a review decision. Wire format of POST /steward/reviews/{jobId}/decision (API.md).
import { z } from 'zod';

export const reviewDecisionSchema = z
  .object({
    approve: z.boolean(),
    /** recorded with the decision; a rejection's reason is shown to the operator, so write no data value into it */
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();
export type ReviewDecisionInput = z.infer<typeof reviewDecisionSchema>;
