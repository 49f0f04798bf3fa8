// Security staff acknowledge or resolve an alert with a note, and may suspend its operator in the same transaction.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { ALERT_QUEUE_RESOURCE, WHITELIST_RESOURCE } from '../../policies/index.ts';
import { appendAudit } from '../../store/index.ts';
import type { AlertsContext } from './context.ts';
import { toAlertView, type AlertView } from './alert-view.ts';
import { suspendOperator } from './raise-alert.ts';
import { alerts } from './schema.ts';
import { ackAlertSchema, type AckAlertInput } from './schemas.ts';

/**
 * Throws FORBIDDEN (Cedar ManageAlerts; ManageWhitelist too when suspending), VALIDATION_FAILED, NOT_FOUND,
 * CONFLICT (a resolved alert is closed; suspending an alert without an operator).
 */
export async function ackAlert(ctx: AlertsContext, id: string, raw: AckAlertInput): Promise<AlertView> {
  const actor = ctx.actor;
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only security staff handle alerts');
  const parsed = ackAlertSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid request body', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  }
  const input = parsed.data;
  await ctx.authorize({ action: 'ManageAlerts', resource: ALERT_QUEUE_RESOURCE });
  if (input.suspendOperator) await ctx.authorize({ action: 'ManageWhitelist', resource: WHITELIST_RESOURCE });
  return ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(alerts).where(eq(alerts.id, id)).for('update');
    if (!before) throw new AppError('NOT_FOUND', 'no alert with this id');
    if (before.status === 'resolved') throw new AppError('CONFLICT', 'the alert is resolved');
    let suspended = before.suspendedOperator;
    if (input.suspendOperator) {
      if (!before.operatorId) throw new AppError('CONFLICT', 'this alert names no operator');
      const request = { ip: ctx.ip, requestId: ctx.requestId };
      suspended = (await suspendOperator(tx, before.operatorId, `alert ${id}: ${input.note}`, { type: 'staff', id: actor.id }, request)) ?? suspended;
    }
    const now = new Date();
    const notes = [...before.notes, { at: now.toISOString(), by: actor.id, note: input.note, status: input.status }];
    const [after] = await tx.update(alerts).set({ status: input.status, notes, suspendedOperator: suspended, updatedAt: now }).where(eq(alerts.id, id)).returning();
    await appendAudit(tx, {
      actor: { type: 'staff', id: actor.id },
      action: `alert.${input.status}`,
      resource: `alert:${id}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { before: { status: before.status }, after: { status: input.status }, suspendedOperator: input.suspendOperator ? suspended : null },
    });
    return toAlertView(after!);
  });
}
