// Security staff list alerts, newest first, filtered (cursor: the last item's creation time and id).
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { ALERT_QUEUE_RESOURCE } from '../../policies/index.ts';
import type { AlertsContext } from './context.ts';
import { toAlertView, type AlertView } from './alert-view.ts';
import { alerts } from './schema.ts';
import type { AlertQuery } from './schemas.ts';

function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('BAD_REQUEST', 'invalid cursor', { details: { issues: [{ path: 'cursor', message: 'invalid cursor' }] } });
  return { at: date, id };
}

/** Throws FORBIDDEN (Cedar ManageAlerts), BAD_REQUEST for a malformed cursor. */
export async function listAlerts(ctx: AlertsContext, query: AlertQuery): Promise<{ items: AlertView[]; nextCursor: string | null }> {
  await ctx.authorize({ action: 'ManageAlerts', resource: ALERT_QUEUE_RESOURCE });
  const after = query.cursor ? parseCursor(query.cursor) : null;
  const rows = await ctx.database.db
    .select()
    .from(alerts)
    .where(
      and(
        query.status ? eq(alerts.status, query.status) : undefined,
        query.kind ? eq(alerts.kind, query.kind) : undefined,
        query.severity ? eq(alerts.severity, query.severity) : undefined,
        query.operator ? eq(alerts.operatorId, query.operator) : undefined,
        after ? or(lt(alerts.createdAt, after.at), and(eq(alerts.createdAt, after.at), lt(alerts.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toAlertView);
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  return { items, nextCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null };
}
