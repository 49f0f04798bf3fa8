// What the review verbs receive: the job verbs' context plus the listing decision (structurally the gateway's).
import type { JobQuestion, JobsContext } from '../jobs/context.ts';

export interface ReviewsContext extends JobsContext {
  /** Decides several questions of one kind (a listing), audited as one entry with counts; returns which were allowed. */
  authorizeEach(questions: readonly JobQuestion[], resource: string): Promise<boolean[]>;
}
