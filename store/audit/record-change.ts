// Writes the audit entry of a change inside the change's own transaction (fail closed: no entry, no change).
import type { Db } from '../database.ts';
import { appendAudit } from './append-audit.ts';
import type { AuditActorType, AuditEntry } from './types.ts';

/** What recordChange needs of a verb's context (catalog-open's and the gateway's both fit): who, from where, which request. */
export interface ChangeContext {
  actor: { type: 'public' } | { type: Exclude<AuditActorType, 'public'>; id: string };
  ip: string | null;
  requestId: string | null;
}

/** Appends `action` on `resource` by the context's actor, outcome `ok`, in `tx`. */
export function recordChange(ctx: ChangeContext, tx: Db, action: string, resource: string, details: Record<string, unknown>): Promise<AuditEntry> {
  const actor = ctx.actor;
  return appendAudit(tx, {
    actor: { type: actor.type, id: actor.type === 'public' ? null : actor.id },
    action,
    resource,
    outcome: 'ok',
    ip: ctx.ip,
    requestId: ctx.requestId,
    details,
  });
}
