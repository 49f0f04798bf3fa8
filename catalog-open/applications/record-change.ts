// Writes the audit entry of a change inside the change's own transaction (fail closed: no entry, no change).
import { appendAudit, type AuditEntry, type Db } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';

export function recordChange(ctx: VerbContext, tx: Db, action: string, resource: string, details: Record<string, unknown>): Promise<AuditEntry> {
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
