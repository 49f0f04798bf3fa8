// Compiles an approved sandbox application into the whitelist's own licence (授权), so approval and enforcement
// are one thing: the sandbox admits the operator's jobs by this row exactly as by a licence security staff granted.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { licenses, operators, recordChange, type Db, type Operation } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import type { ApplicationRow } from './application-view.ts';

/** What an approval grants in the sandbox: aggregates only (results pass disclosure control before release). */
export const SANDBOX_OPERATIONS: readonly Operation[] = ['aggregate'];
/** Privacy budget (ε) of a licence compiled from an application; security staff may change it like any licence's. */
export const DEFAULT_EPSILON = 1;
export const DEFAULT_MAX_JOBS_PER_DAY = 20;
/** When the applicant's operator named no addresses: any IPv4 address (its key and token still gate every job). */
export const DEFAULT_IP_ALLOWLIST = ['0.0.0.0/0'];

/**
 * The active operator whose USCC is the applicant organization's. Throws VALIDATION_FAILED when there is none:
 * a sandbox licence is held by a whitelisted operator, so the applicant must be registered first.
 */
async function applicantOperator(tx: Db, row: ApplicationRow): Promise<{ id: string }> {
  const uscc = row.applicant.type === 'organization' ? row.applicant.uscc : undefined;
  const [operator] = uscc
    ? await tx.select({ id: operators.id }).from(operators).where(and(eq(operators.uscc, uscc), eq(operators.status, 'active')))
    : [];
  if (!operator) {
    throw new AppError('VALIDATION_FAILED', 'sandbox access needs the applicant organization to be a registered, active operator: it must first be whitelisted', {
      details: { issues: [{ path: 'applicant.uscc', message: 'no active operator on the whitelist has this credit code' }] },
    });
  }
  return operator;
}

/** Inserts and audits the licence inside the approval's transaction `tx`; returns its id. Throws VALIDATION_FAILED. */
export async function grantSandboxLicense(ctx: VerbContext, tx: Db, row: ApplicationRow, validFrom: Date, validTo: Date): Promise<string> {
  const operator = await applicantOperator(tx, row);
  const id = `lic_${randomUUID()}`;
  const [licence] = await tx
    .insert(licenses)
    .values({
      id,
      operatorId: operator.id,
      // the purpose stays in the application; the scenario names it, so the licence is traceable to its approval
      scenario: `有条件开放申请 ${row.id}`,
      datasets: [{ code: row.datasetCode, fields: [...row.fields], operations: [...SANDBOX_OPERATIONS] }],
      validFrom,
      validTo,
      ipAllowlist: row.ipAllowlist ?? DEFAULT_IP_ALLOWLIST,
      privacyEpsilon: DEFAULT_EPSILON,
      maxJobsPerDay: DEFAULT_MAX_JOBS_PER_DAY,
    })
    .returning();
  const after = {
    id,
    operatorId: operator.id,
    scenario: licence!.scenario,
    datasets: licence!.datasets,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    ipAllowlist: licence!.ipAllowlist,
    privacyBudget: { epsilon: licence!.privacyEpsilon },
    maxJobsPerDay: licence!.maxJobsPerDay,
    status: licence!.status,
  };
  await recordChange(ctx, tx, 'whitelist.license.granted', `license:${id}`, { operatorId: operator.id, applicationId: row.id, before: null, after });
  return id;
}
