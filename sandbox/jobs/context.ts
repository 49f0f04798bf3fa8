// What the job verbs receive: the actor, the database, where the request came from, and the Cedar decision point.
// Structurally the same as the gateway's verb context, so the gateway passes its own; the sandbox imports no gateway.
import type { Actor, AuthorizationRequest, PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';

/** An authorization question without its principal: the caller's context knows who is asking. */
export type JobQuestion = AuthorizationRequest extends infer R ? (R extends unknown ? Omit<R, 'principal'> : never) : never;

export interface JobsContext {
  actor: Actor;
  database: Database;
  requestId: string | null;
  ip: string | null;
  /** Decides and audits; a deny throws FORBIDDEN. */
  authorize(question: JobQuestion): Promise<void>;
}

/** Platform configuration the job verbs and the worker need. */
export interface JobsConfig {
  policies: PolicySet;
}
