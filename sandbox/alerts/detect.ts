// The detectors: each looks at one kind of event, asks the policy (rules.ts) and raises what it says, in the
// transaction of the event (jobs) or in its own (refused submissions, refused sign-ins).
import { appendAudit, type Database, type Db } from '../../store/index.ts';
import { authFailures, failedRealRunsToday, rejectedJobs, submitRefusals } from './count-events.ts';
import { raiseAlert, recentAlert, suspendLicence } from './raise-alert.ts';
import { ALERT_POLICY, jobFailureAlert, notRowLocalAlert, overThreshold, releaseAlerts, type AlertDecision, type AlertPolicy, type WindowRule } from './rules.ts';

const MINUTE_MS = 60_000;
const since = (rule: WindowRule, now: Date) => new Date(now.getTime() - rule.windowMinutes * MINUTE_MS);

/**
 * The end of a job, as completeJob writes it. `errorCode` and `reason` are the sandbox's own (staff may see them; the
 * operator of a real run sees a fixed code). `onRealData`: the failure happened after real rows were read.
 */
export type JobEnd =
  | { status: 'failed'; errorCode: string; reason: string; onRealData: boolean }
  | { status: 'succeeded' | 'review' | 'rejected'; record: unknown; notLocal?: boolean };

/** The job an alert is about. */
export interface AlertedJob {
  id: string;
  operatorId: string;
  licenseId: string;
  code: string;
  dryRun: boolean;
}

/**
 * Called by completeJob inside its transaction, after the job's status is written: raises escape-attempt,
 * oversize-output, differencing and not-row-local alerts, repeated-refusals when a refused release tips the count
 * over, and failed-runs (the licence goes to review) when real runs keep failing on real data. A dry run reads no
 * data and never suspends anyone; its alerts are raised all the same.
 */
export async function alertsForJobEnd(tx: Db, job: AlertedJob, end: JobEnd, policy: AlertPolicy = ALERT_POLICY): Promise<void> {
  const decisions: AlertDecision[] = [];
  if (end.status === 'failed') {
    const d = jobFailureAlert(job.code, { errorCode: end.errorCode, reason: end.reason }, policy);
    if (d) decisions.push(d);
  } else {
    if (end.notLocal) decisions.push(notRowLocalAlert(policy));
    const checks = (end.record as { checks?: unknown } | null)?.checks;
    if (Array.isArray(checks)) decisions.push(...releaseAlerts(checks, policy));
  }
  for (const d of decisions) await raiseAlert(tx, { ...d, ...(job.dryRun ? { suspend: false } : {}), operatorId: job.operatorId, jobId: job.id, details: { ...d.details, dryRun: job.dryRun } });
  if (end.status === 'rejected' && !job.dryRun) await repeatedRefusals(tx, job.operatorId, { jobId: job.id }, policy);
  if (end.status === 'failed' && end.onRealData && !job.dryRun) await failedRuns(tx, job, policy);
}

/** Each failure on real data may carry a bit: after the policy's number in a UTC day, the licence goes to review. */
async function failedRuns(tx: Db, job: AlertedJob, policy: AlertPolicy): Promise<void> {
  const n = await failedRealRunsToday(tx, job.licenseId, new Date());
  if (n < policy.failedRuns.perDay) return;
  const suspended = await suspendLicence(tx, job.licenseId, `failed runs on real data: ${n} today (review)`, { type: 'system', id: 'alerts' });
  if (!suspended) return;
  await raiseAlert(tx, {
    kind: 'failed-runs',
    severity: policy.failedRuns.severity,
    operatorId: job.operatorId,
    jobId: job.id,
    summary: 'real runs of a licence kept failing on real data; the licence is suspended for review',
    details: { licenseId: job.licenseId, failedToday: n, perDay: policy.failedRuns.perDay },
  });
}

/** Submission refusals that count towards an alert, and the kind they count towards. */
const REFUSAL_KIND: Record<string, 'burst' | 'repeated-refusals'> = { QUOTA_EXCEEDED: 'burst', FORBIDDEN: 'repeated-refusals', BUDGET_EXHAUSTED: 'repeated-refusals' };
const POLICY_REFUSALS = ['FORBIDDEN', 'BUDGET_EXHAUSTED'];

/**
 * Records a refused job submission (audit `job.refused` with its error code) and raises `burst` or
 * `repeated-refusals` when the operator's count in the window reaches the threshold; the policy may suspend the
 * operator. One transaction. Other codes (bad input) are not recorded here.
 */
export async function recordSubmitRefusal(
  database: Database,
  request: { operatorId: string; code: string; ip: string | null; requestId: string | null },
  policy: AlertPolicy = ALERT_POLICY,
  now = new Date(),
): Promise<void> {
  const kind = REFUSAL_KIND[request.code];
  if (!kind) return;
  await database.db.transaction(async (tx) => {
    await appendAudit(tx, {
      actor: { type: 'operator', id: request.operatorId },
      action: 'job.refused',
      resource: 'jobs',
      outcome: 'deny',
      ip: request.ip,
      requestId: request.requestId,
      details: { code: request.code },
    });
    if (kind === 'burst') {
      const rule = policy.burst;
      const n = await submitRefusals(tx, request.operatorId, since(rule, now), ['QUOTA_EXCEEDED']);
      if (!overThreshold(n, rule) || (await recentAlert(tx, 'burst', { operatorId: request.operatorId }, since(rule, now)))) return;
      await raiseAlert(tx, {
        kind: 'burst',
        severity: rule.severity,
        suspend: rule.suspend,
        operatorId: request.operatorId,
        summary: 'repeated job submissions over the licence quota',
        details: { refusals: n, windowMinutes: rule.windowMinutes },
        ip: request.ip,
        requestId: request.requestId,
      });
    } else await repeatedRefusals(tx, request.operatorId, { ip: request.ip, requestId: request.requestId }, policy, now);
  });
}

async function repeatedRefusals(tx: Db, operatorId: string, about: { jobId?: string; ip?: string | null; requestId?: string | null }, policy: AlertPolicy, now = new Date()): Promise<void> {
  const rule = policy.repeatedRefusals;
  const from = since(rule, now);
  const submits = await submitRefusals(tx, operatorId, from, POLICY_REFUSALS);
  const releases = await rejectedJobs(tx, operatorId, from);
  if (!overThreshold(submits + releases, rule) || (await recentAlert(tx, 'repeated-refusals', { operatorId }, from))) return;
  await raiseAlert(tx, {
    kind: 'repeated-refusals',
    severity: rule.severity,
    suspend: rule.suspend,
    operatorId,
    jobId: about.jobId ?? null,
    summary: 'repeated refusals by the licence or the release checks',
    details: { refusedSubmissions: submits, refusedReleases: releases, windowMinutes: rule.windowMinutes },
    ip: about.ip ?? null,
    requestId: about.requestId ?? null,
  });
}

/**
 * After a refused staff sign-in or operator token request (already audited as `auth.login` / `auth.token` deny):
 * raises `auth-failures` when the source IP, or the operator the assertion named, reaches the threshold.
 */
export async function checkAuthFailures(
  database: Database,
  request: { ip: string | null; operatorId: string | null; requestId: string | null },
  policy: AlertPolicy = ALERT_POLICY,
  now = new Date(),
): Promise<void> {
  const rule = policy.authFailures;
  const from = since(rule, now);
  const subjects: ({ ip: string } | { operatorId: string })[] = [];
  if (request.ip) subjects.push({ ip: request.ip });
  if (request.operatorId) subjects.push({ operatorId: request.operatorId });
  if (subjects.length === 0) return;
  await database.db.transaction(async (tx) => {
    for (const subject of subjects) {
      const n = await authFailures(tx, subject, from);
      if (!overThreshold(n, rule) || (await recentAlert(tx, 'auth-failures', subject, from))) continue;
      await raiseAlert(tx, {
        kind: 'auth-failures',
        severity: rule.severity,
        suspend: rule.suspend && 'operatorId' in subject,
        operatorId: 'operatorId' in subject ? subject.operatorId : null,
        summary: 'ip' in subject ? 'repeated failed sign-ins from one address' : 'repeated failed token requests for one operator',
        details: { ...subject, failures: n, windowMinutes: rule.windowMinutes },
        ip: request.ip,
        requestId: request.requestId,
      });
    }
  });
}
