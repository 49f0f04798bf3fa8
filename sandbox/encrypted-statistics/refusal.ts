// Refused steps of a round leave an audit entry of their own (what was refused and why, never a value), written
// after the refused transaction has rolled back, so nothing of the refused request is kept but the entry.
import { isAppError } from '../../errors/index.ts';
import { appendAudit } from '../../store/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';

/** Runs `step`; on an AppError appends `<action>.refused` with the code and reason, then rethrows it. */
export async function auditRefusal<T>(ctx: EncryptedStatisticsContext, action: string, resource: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isAppError(err)) {
      const reason = typeof err.details?.reason === 'string' ? err.details.reason : null;
      const actor = ctx.actor.type === 'staff' || ctx.actor.type === 'operator' || ctx.actor.type === 'system' ? { type: ctx.actor.type, id: ctx.actor.id } : { type: 'public' as const, id: null };
      await ctx.database.db.transaction((tx) =>
        appendAudit(tx, { actor, action: `${action}.refused`, resource, outcome: err.code === 'FORBIDDEN' ? 'deny' : 'error', ip: ctx.ip, requestId: ctx.requestId, details: { code: err.code, reason } }),
      );
    }
    throw err;
  }
}
