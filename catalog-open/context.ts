// What every verb receives: the actor, the database, and where the request came from (for audit).
import type { Actor } from '../policies/index.ts';
import type { Database } from '../store/index.ts';

export interface VerbContext {
  actor: Actor;
  database: Database;
  requestId: string | null;
  ip: string | null;
}
