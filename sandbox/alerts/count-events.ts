// Counts of recent refusals, read from the audit log and the job table inside the detector's transaction. The
// detector appends its own audit entry first, which takes the audit lock: counting after it sees every earlier event
// and no two detectors count at the same time.
import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import { schema, type Db } from '../../store/index.ts';
import { jobs } from '../jobs/schema.ts';

const { auditLog } = schema;

/** Refused submissions of one operator since `since`, optionally of some error codes only (`job.refused` entries). */
export async function submitRefusals(tx: Db, operatorId: string, since: Date, codes: readonly string[]): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'job.refused'), eq(auditLog.actorId, operatorId), gte(auditLog.at, since), inArray(sql<string>`${auditLog.details}->>'code'`, [...codes])));
  return row?.n ?? 0;
}

/** Jobs of one operator whose release the checks refused, finished since `since`. */
export async function rejectedJobs(tx: Db, operatorId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.operatorId, operatorId), eq(jobs.status, 'rejected'), eq(jobs.errorCode, 'RELEASE_REFUSED'), gte(jobs.finishedAt, since)));
  return row?.n ?? 0;
}

/** Real runs (not dry runs) of one licence that failed on real data in the UTC day of `now` (public code RUN_FAILED). */
export async function failedRealRunsToday(tx: Db, licenseId: string, now: Date): Promise<number> {
  const day = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
  const [row] = await tx
    .select({ n: count() })
    .from(jobs)
    .where(and(eq(jobs.licenseId, licenseId), eq(jobs.dryRun, false), eq(jobs.status, 'failed'), eq(jobs.errorCode, 'RUN_FAILED'), gte(jobs.finishedAt, day)));
  return row?.n ?? 0;
}

/** Refused sign-ins and token requests since `since`, from one IP or naming one operator. */
export async function authFailures(tx: Db, subject: { ip: string } | { operatorId: string }, since: Date): Promise<number> {
  const who = 'ip' in subject ? eq(auditLog.ip, subject.ip) : and(eq(auditLog.actorType, 'operator'), eq(auditLog.actorId, subject.operatorId));
  const [row] = await tx
    .select({ n: count() })
    .from(auditLog)
    .where(and(inArray(auditLog.action, ['auth.login', 'auth.token']), eq(auditLog.outcome, 'deny'), gte(auditLog.at, since), who));
  return row?.n ?? 0;
}
