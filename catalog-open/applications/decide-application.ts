// A steward of the providing department approves or refuses an application, with a reason, once.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { actorLabel, type PolicySet } from '../../policies/index.ts';
import { getDataset, recordChange, schema, type Db } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { applications } from '../schema.ts';
import { requiredAccess } from './access-rule.ts';
import { stewardApplicationView, type ApplicationRow, type StewardApplicationView } from './application-view.ts';
import { applicationResource } from './list-applications.ts';
import { fieldProblems } from './releasable.ts';
import { grantSandboxLicense } from './sandbox-license.ts';
import { parseInput } from './parse-input.ts';
import { decisionSchema } from './schemas.ts';

const DAY_MS = 86_400_000;

async function loadWithDepartment(db: Db, id: string): Promise<{ row: ApplicationRow; department: string }> {
  const [found] = await db
    .select({ row: applications, department: schema.datasets.department })
    .from(applications)
    .innerJoin(schema.datasets, eq(schema.datasets.code, applications.datasetCode))
    .where(eq(applications.id, id));
  if (!found) throw new AppError('NOT_FOUND', 'no application with this id');
  return found;
}

const decided = () => new AppError('CONFLICT', 'the application has already been decided');

/** Approval: the grant's expiry, and for sandbox access the licence it compiles to. Throws VALIDATION_FAILED. */
async function approve(ctx: VerbContext, tx: Db, policies: PolicySet, row: ApplicationRow, now: Date) {
  // the dataset may have been regraded or its fields changed since submission: the rules apply as they are now
  const dataset = await getDataset(tx, row.datasetCode);
  const { access } = requiredAccess(row.access, dataset, row.fields);
  const problems = fieldProblems(policies, dataset, row.fields, access);
  if (dataset.openType !== 'conditional') problems.push({ path: 'dataset', message: 'the dataset is no longer conditionally open' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'the application can no longer be granted as submitted', { details: { issues: problems } });
  const expiresAt = new Date(now.getTime() + row.durationDays * DAY_MS);
  const licenseId = access === 'sandbox' ? await grantSandboxLicense(ctx, tx, { ...row, access }, now, expiresAt) : null;
  return { access, expiresAt, licenseId };
}

/**
 * Decides a pending application in one transaction with its audit entry (and, for sandbox access, the licence and
 * its audit entry). Throws NOT_FOUND, FORBIDDEN, CONFLICT (already decided), VALIDATION_FAILED (sandbox access for
 * an applicant that is not an active operator; nothing is written).
 */
export async function decideApplicationVerb(ctx: VerbContext, policies: PolicySet, id: string, input: unknown): Promise<StewardApplicationView> {
  const decision = parseInput(decisionSchema, input, 'invalid decision');
  const { row, department } = await loadWithDepartment(ctx.database.db, id);
  await ctx.authorize({ action: 'ApproveApplication', resource: applicationResource(row, department) });
  if (row.status !== 'pending') throw decided();
  return ctx.database.db.transaction(async (tx) => {
    // the row lock makes a concurrent second decision wait, then see the first and refuse
    const [current] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
    if (!current || current.status !== 'pending') throw decided();
    const now = new Date();
    const grant = decision.approve ? await approve(ctx, tx, policies, current, now) : null;
    const [updated] = await tx
      .update(applications)
      .set({
        status: decision.approve ? 'approved' : 'rejected',
        decidedBy: actorLabel(ctx.actor),
        decisionReason: decision.reason,
        decidedAt: now,
        ...(grant ? { access: grant.access, expiresAt: grant.expiresAt, licenseId: grant.licenseId } : {}),
      })
      .where(eq(applications.id, id))
      .returning();
    await recordChange(ctx, tx, decision.approve ? 'open.application.approved' : 'open.application.rejected', `application:${id}`, {
      applicationId: id,
      dataset: current.datasetCode,
      fields: current.fields,
      reason: decision.reason,
      ...(grant ? { access: grant.access, expiresAt: grant.expiresAt.toISOString(), licenseId: grant.licenseId } : {}),
    });
    return stewardApplicationView(updated!);
  });
}
