// Writes the audit entry of a change inside the change's own transaction (fail closed: no entry, no change).
import type { AuditEntry, Db } from '../store/index.ts';
import { appendAudit } from '../store/index.ts';
import type { GatewayVerbContext } from './verb-context.ts';

export function recordChange(
  ctx: GatewayVerbContext,
  tx: Db,
  action: string,
  resource: string,
  details: Record<string, unknown>,
): Promise<AuditEntry> {
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
