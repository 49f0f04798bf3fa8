// What every catalog-open verb receives: the actor, the database and the request id.
import type { Actor } from '../policies/index.ts';
import type { Database } from '../store/index.ts';

export interface VerbContext {
  actor: Actor;
  database: Database;
  requestId?: string;
}
