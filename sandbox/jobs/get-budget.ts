// The privacy budget left per live licence and dataset of the calling operator.
import { inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { disclosureRules, type PolicySet } from '../../policies/index.ts';
import { licenses, type Db } from '../../store/index.ts';
import { licenceCaps } from './budget-caps.ts';
import type { JobsContext } from './context.ts';
import { budgetLedger } from './schema.ts';

export interface BudgetView {
  licenseId: string;
  dataset: string;
  epsilonTotal: number;
  epsilonPerJob: number;
  epsilonSpent: number;
  epsilonRemaining: number;
}

/** Throws FORBIDDEN for a non-operator. Datasets without a policy are left out (no job may use them). */
export async function getBudget(ctx: JobsContext, policies: PolicySet): Promise<BudgetView[]> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators hold a privacy budget');
  return licenceBudgets(ctx.database.db, policies, ctx.actor.licenses);
}

/** The budget of the given licences (any status), per licensed dataset. The caller has decided who may see it. */
export async function licenceBudgets(db: Db, policies: PolicySet, licenceIds: readonly string[]): Promise<BudgetView[]> {
  if (licenceIds.length === 0) return [];
  const ids = [...licenceIds];
  const live = await db.select().from(licenses).where(inArray(licenses.id, ids));
  const accounts = await db.select().from(budgetLedger).where(inArray(budgetLedger.licenseId, ids));
  return live.flatMap((licence) =>
    licence.datasets
      .filter((d) => policies.datasets.has(d.code))
      .map((d) => {
        const caps = licenceCaps(licence.privacyEpsilon, disclosureRules(policies, d.code, d.fields));
        const spent = (accounts.find((a) => a.licenseId === licence.id && a.dataset === d.code)?.spentMicro ?? 0) / 1e6;
        return { licenseId: licence.id, dataset: d.code, epsilonTotal: caps.perLicence, epsilonPerJob: caps.perJob, epsilonSpent: spent, epsilonRemaining: Math.max(0, Math.round((caps.perLicence - spent) * 1e6) / 1e6) };
      }),
  );
}
