// High-risk alerts (高危操作告警): what the sandbox and the gateway blocked or saw, for security staff to act on.
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const ALERT_KINDS = ['differencing', 'escape-attempt', 'burst', 'repeated-refusals', 'oversize-output', 'auth-failures', 'not-row-local', 'failed-runs', 'no-workers'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<AlertKind>().notNull(),
    severity: text('severity').$type<AlertSeverity>().notNull(),
    status: text('status').$type<AlertStatus>().notNull().default('open'),
    operatorId: text('operator_id'),
    jobId: text('job_id'),
    /** what was blocked, in fixed words and identifiers; never a data value */
    summary: text('summary').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /** the operator was suspended because of this alert (policy or staff action) */
    suspendedOperator: text('suspended_operator'),
    notes: jsonb('notes').$type<{ at: string; by: string; note: string; status: AlertStatus }[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alerts_status_created_idx').on(t.status, t.createdAt), index('alerts_operator_idx').on(t.operatorId)],
);
