// The licence's daily quota, one count for every kind of run: its jobs, PSI, encrypted-scoring and federated runs share
// maxJobsPerDay (UTC day); dry runs read synthetic data only and have an allowance of their own.
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { licenses, schema, type Db } from '../../store/index.ts';
import { jobs } from './schema.ts';

const DAY_MS = 86_400_000;
const { auditLog } = schema;

/** Dry runs per licence and UTC day: they read synthetic data only, so a generous fixed quota of their own. */
export const DRY_RUNS_PER_DAY = 100;

/**
 * The audit actions that each record one run under a licence (resource `license:<id>`). sandbox/psi and
 * sandbox/encrypted-scoring audit their runs with these, so what is recorded is what is counted.
 */
export const RUN_ACTIONS = { psi: 'psi.run', scoring: 'scoring.run', federated: 'federated.run' } as const;

/** The database, or a transaction (one holding the licence row lock: lockLicence). */
type Reader = Pick<Db, 'select'>;
type Licence = typeof licenses.$inferSelect;

const dayStartOf = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

function exceeded(message: string, details: Record<string, number>, now: Date): never {
  const retryAfterSeconds = Math.ceil((dayStartOf(now).getTime() + DAY_MS - now.getTime()) / 1000);
  throw new AppError('QUOTA_EXCEEDED', message, { details: { ...details, retryAfterSeconds } });
}

/** Runs under the licence in the UTC day of `now`: its jobs that are not dry runs, plus its PSI and scoring runs. */
export async function runsToday(db: Reader, licenseId: string, now: Date): Promise<number> {
  const since = dayStartOf(now);
  const [j] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.licenseId, licenseId), gte(jobs.createdAt, since), eq(jobs.dryRun, false)));
  const [r] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(inArray(auditLog.action, Object.values(RUN_ACTIONS)), eq(auditLog.resource, `license:${licenseId}`), gte(auditLog.at, since)));
  return (j?.n ?? 0) + (r?.n ?? 0);
}

/**
 * Throws QUOTA_EXCEEDED (details maxJobsPerDay, retryAfterSeconds until the next UTC midnight) once runsToday has
 * reached the licence's maxJobsPerDay. Binding only inside the transaction that locked the licence (lockLicence) and
 * records the run; a check on the database beforehand is an early refusal before costly work.
 */
export async function checkDailyQuota(db: Reader, licence: Pick<Licence, 'id' | 'maxJobsPerDay'>, now: Date): Promise<void> {
  if ((await runsToday(db, licence.id, now)) >= licence.maxJobsPerDay) exceeded('the licence has used its runs for today', { maxJobsPerDay: licence.maxJobsPerDay }, now);
}

/** Throws QUOTA_EXCEEDED (details dryRunsPerDay, retryAfterSeconds) once the licence's dry runs today reach DRY_RUNS_PER_DAY. */
export async function checkDryRunQuota(db: Reader, licenseId: string, now: Date): Promise<void> {
  const [d] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.licenseId, licenseId), gte(jobs.createdAt, dayStartOf(now)), eq(jobs.dryRun, true)));
  if ((d?.n ?? 0) >= DRY_RUNS_PER_DAY) exceeded('the licence has used its dry runs for today', { dryRunsPerDay: DRY_RUNS_PER_DAY }, now);
}

function owned(licence: Licence | undefined, operatorId: string): Licence {
  if (!licence || licence.operatorId !== operatorId) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');
  return licence;
}

/**
 * Locks the licence row until the transaction ends (FOR UPDATE) and returns it. Every run under a licence is counted
 * and recorded under this lock, so two cannot both take the last quota slot. Throws FORBIDDEN unless the licence
 * exists and is the operator's.
 */
export async function lockLicence(tx: Reader, licenseId: string, operatorId: string): Promise<Licence> {
  const [licence] = await tx.select().from(licenses).where(eq(licenses.id, licenseId)).for('update');
  return owned(licence, operatorId);
}

/**
 * The operator's licence, read without a lock, refused early (QUOTA_EXCEEDED) when today's runs have used it up: for a
 * run that does costly work before it is recorded; the binding count is taken again under lockLicence. Throws
 * FORBIDDEN unless the licence exists and is the operator's.
 */
export async function licenceWithRunsLeft(db: Reader, licenseId: string, operatorId: string, now: Date): Promise<Licence> {
  const [row] = await db.select().from(licenses).where(eq(licenses.id, licenseId));
  const licence = owned(row, operatorId);
  await checkDailyQuota(db, licence, now);
  return licence;
}
