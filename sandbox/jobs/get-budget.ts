// The privacy budget left per live licence and dataset of the calling operator.
import { AppError } from '../../errors/index.ts';
import type { PolicySet } from '../../policies/index.ts';
import { type BudgetView, licenceBudgets } from './budget.ts';
import type { JobsContext } from './context.ts';

/** Throws FORBIDDEN for a non-operator. Datasets without a policy are left out (no job may use them). */
export async function getBudget(ctx: JobsContext, policies: PolicySet): Promise<BudgetView[]> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators hold a privacy budget');
  return licenceBudgets(ctx.database.db, policies, ctx.actor.licenses);
}
