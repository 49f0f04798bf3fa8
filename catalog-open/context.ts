// What every verb receives: the actor, the database, and where the request came from (for audit).
import type { Actor, AuthorizationRequest } from '../policies/index.ts';
import type { Database } from '../store/index.ts';

/** An authorization question without its principal: the caller's context knows who is asking. */
export type AuthorizationQuestion = AuthorizationRequest extends infer R ? (R extends unknown ? Omit<R, 'principal'> : never) : never;

export interface VerbContext {
  actor: Actor;
  database: Database;
  requestId: string | null;
  ip: string | null;
  /**
   * Asks the Cedar policies whether the actor may do this. Every decision, allow or deny, is audited before this
   * resolves; a deny throws FORBIDDEN naming the determining policies.
   */
  authorize(question: AuthorizationQuestion): Promise<void>;
  /** Decides several questions of one kind (a listing), audited as one entry with counts; returns which were allowed. */
  authorizeEach(questions: readonly AuthorizationQuestion[], resource: string): Promise<boolean[]>;
}
