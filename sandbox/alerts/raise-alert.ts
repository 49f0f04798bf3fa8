// Raises an alert inside the caller's transaction — the same one as the event that caused it — with its audit entry,
// and suspends the operator when the policy says so. Nothing here reads a data value; summaries are fixed text.
import { randomUUID } from 'node:crypto';
import { and, eq, gte } from 'drizzle-orm';
import { appendAudit, licenses, operators, type AuditActor, type Db } from '../../store/index.ts';
import { alerts, type AlertKind, type AlertSeverity } from './schema.ts';

export interface RaiseAlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  operatorId?: string | null;
  jobId?: string | null;
  /** fixed words and identifiers, never a data value */
  summary: string;
  /** counts, codes, names and ids only */
  details?: Record<string, unknown>;
  /** suspend the operator now (policy); ignored without an operator */
  suspend?: boolean;
  ip?: string | null;
  requestId?: string | null;
}

export interface RaisedAlert {
  id: string;
  suspendedOperator: string | null;
}

const SYSTEM: AuditActor = { type: 'system', id: 'alerts' };

/** Inserts the alert and its audit entry in `tx`; suspends its operator (audited) when asked and still active. */
export async function raiseAlert(tx: Db, input: RaiseAlertInput): Promise<RaisedAlert> {
  const id = randomUUID();
  const suspended = input.suspend && input.operatorId ? await suspendOperator(tx, input.operatorId, `alert ${id}: ${input.kind}`, SYSTEM) : null;
  await tx.insert(alerts).values({
    id,
    kind: input.kind,
    severity: input.severity,
    operatorId: input.operatorId ?? null,
    jobId: input.jobId ?? null,
    summary: input.summary,
    details: input.details ?? {},
    suspendedOperator: suspended,
    // millisecond precision, so the list's (createdAt, id) cursor round-trips through a JS Date
    createdAt: new Date(),
  });
  await appendAudit(tx, {
    actor: SYSTEM,
    action: 'alert.raised',
    resource: `alert:${id}`,
    outcome: 'deny',
    ip: input.ip ?? null,
    requestId: input.requestId ?? null,
    details: { kind: input.kind, severity: input.severity, operatorId: input.operatorId ?? null, jobId: input.jobId ?? null, suspendedOperator: suspended },
  });
  return { id, suspendedOperator: suspended };
}

/**
 * Sets an active operator's status to suspended, audited like the whitelist's own change (same action and
 * before/after shape, gateway/whitelist/operators.ts). Returns the id when it changed anything, else null (already
 * suspended or revoked, or unknown). Every operator request re-reads the status, so live tokens stop at once.
 */
export async function suspendOperator(tx: Db, operatorId: string, reason: string, actor: AuditActor, request: { ip?: string | null; requestId?: string | null } = {}): Promise<string | null> {
  const changed = await tx
    .update(operators)
    .set({ status: 'suspended', statusReason: reason, updatedAt: new Date() })
    .where(and(eq(operators.id, operatorId), eq(operators.status, 'active')))
    .returning({ id: operators.id });
  if (changed.length === 0) return null;
  await appendAudit(tx, {
    actor,
    action: 'whitelist.operator.suspended',
    resource: `operator:${operatorId}`,
    outcome: 'ok',
    ip: request.ip ?? null,
    requestId: request.requestId ?? null,
    details: { reason, before: { status: 'active' }, after: { status: 'suspended' } },
  });
  return operatorId;
}

/**
 * Suspends an active licence (review by security staff), audited as the whitelist's own `whitelist.license.suspended`.
 * Returns the id when it changed anything, else null. Every operator request re-reads its licences.
 */
export async function suspendLicence(tx: Db, licenseId: string, reason: string, actor: AuditActor): Promise<string | null> {
  const changed = await tx
    .update(licenses)
    .set({ status: 'suspended', statusReason: reason, updatedAt: new Date() })
    .where(and(eq(licenses.id, licenseId), eq(licenses.status, 'active')))
    .returning({ id: licenses.id });
  if (changed.length === 0) return null;
  await appendAudit(tx, { actor, action: 'whitelist.license.suspended', resource: `license:${licenseId}`, outcome: 'ok', details: { reason, before: { status: 'active' }, after: { status: 'suspended' } } });
  return licenseId;
}

/** Whether an alert of this kind about this subject was raised since `since` (one alert per subject and window). */
export async function recentAlert(tx: Db, kind: AlertKind, subject: { operatorId?: string; ip?: string }, since: Date): Promise<boolean> {
  const rows = await tx
    .select({ id: alerts.id, details: alerts.details })
    .from(alerts)
    .where(and(eq(alerts.kind, kind), gte(alerts.createdAt, since), subject.operatorId ? eq(alerts.operatorId, subject.operatorId) : undefined));
  return rows.some((r) => (subject.ip === undefined ? true : r.details.ip === subject.ip));
}
