// High-risk alerts (高危操作告警): detectors that block and raise, the policy they follow, and the staff verbs.
export { ALERT_KINDS, ALERT_SEVERITIES, ALERT_STATUSES } from './schema.ts';
export type { AlertKind, AlertSeverity, AlertStatus } from './schema.ts';
export { raiseAlert, suspendOperator } from './raise-alert.ts';
export type { RaiseAlertInput, RaisedAlert } from './raise-alert.ts';
export { alertsForJobEnd, checkAuthFailures, recordSubmitRefusal } from './detect.ts';
export type { JobEnd } from './detect.ts';
export { ALERT_POLICY, alertPolicySchema, FORBIDDEN_GLOBALS, jobFailureAlert, probedGlobals, releaseAlerts } from './rules.ts';
export type { AlertDecision, AlertPolicy } from './rules.ts';
export { listAlerts } from './list-alerts.ts';
export { ackAlert } from './ack-alert.ts';
export { ackAlertSchema, alertQuerySchema } from './schemas.ts';
export type { AckAlertInput, AlertQuery } from './schemas.ts';
export type { AlertView } from './alert-view.ts';
