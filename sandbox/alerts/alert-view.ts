// How an alert is shown to security staff. Wire format of GET /security/alerts (API.md): add fields, never rename.
import type { alerts, AlertKind, AlertSeverity, AlertStatus } from './schema.ts';

export interface AlertView {
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  status: AlertStatus;
  operatorId: string | null;
  jobId: string | null;
  summary: string;
  details: Record<string, unknown>;
  suspendedOperator: string | null;
  notes: { at: string; by: string; note: string; status: AlertStatus }[];
  createdAt: string;
  updatedAt: string;
}

export function toAlertView(row: typeof alerts.$inferSelect): AlertView {
  return {
    id: row.id,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    operatorId: row.operatorId,
    jobId: row.jobId,
    summary: row.summary,
    details: row.details,
    suspendedOperator: row.suspendedOperator,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
