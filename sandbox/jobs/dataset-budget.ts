// A dataset's privacy budget for a calendar year, over every licence and the platform's own releases: stewards of the
// dataset's department read it and set the year's ε (Cedar ManageDataset); every change is audited with before/after.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset } from '../../store/index.ts';
import { budgetGauge, type BudgetGauge, rhoFromEpsilon, toNano } from '../dp/index.ts';
import { datasetRhoCap, yearOf } from './budget.ts';
import type { JobsContext } from './context.ts';
import { datasetBudgets } from './schema.ts';

export const datasetBudgetSchema = z.strictObject({
  /** the calendar year (default: this one) */
  year: z.number().int().min(2000).max(2100).optional(),
  /** ε of the dataset for the year, at δ = 1e-8, over every licence together */
  epsilon: z.number().positive().max(1000),
  reason: z.string().trim().min(5).max(500),
});
export type DatasetBudgetInput = z.input<typeof datasetBudgetSchema>;

/** Wire format of GET/PUT /steward/datasets/{code}/privacy-budget: add fields, never rename. */
export interface DatasetBudgetView extends BudgetGauge {
  dataset: string;
  year: number;
  /** ε a steward set for the year, or null: the default of the dataset's rules */
  epsilonSet: number | null;
  epsilonDefault: number;
  setBy: string | null;
  setAt: string | null;
}

async function authorized(ctx: JobsContext, code: string) {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only stewards manage a dataset\'s budget');
  const dataset = await getDataset(ctx.database.db, code);
  await ctx.authorize({ action: 'ManageDataset', resource: datasetEntity(dataset) });
  return dataset;
}

async function view(ctx: JobsContext, policies: PolicySet, code: string, year: number): Promise<DatasetBudgetView> {
  const rules = disclosureRules(policies, code);
  const [row] = await ctx.database.db.select().from(datasetBudgets).where(and(eq(datasetBudgets.dataset, code), eq(datasetBudgets.year, year)));
  return {
    dataset: code,
    year,
    ...budgetGauge(row?.rhoSpentNano ?? 0, datasetRhoCap(row?.epsilonTotal ?? null, rules)),
    epsilonSet: row?.epsilonTotal ?? null,
    epsilonDefault: rules.epsilonPerDatasetYear,
    setBy: row?.setBy ?? null,
    setAt: row?.setAt?.toISOString() ?? null,
  };
}

/** Throws FORBIDDEN (not staff; Cedar), DATASET_NOT_FOUND (unknown, or no policy: nothing may use it). */
export async function getDatasetBudget(ctx: JobsContext, policies: PolicySet, code: string, year = yearOf(new Date())): Promise<DatasetBudgetView> {
  await authorized(ctx, code);
  if (!policies.datasets.has(code)) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no policy', { details: { dataset: code } });
  return view(ctx, policies, code, year);
}

/**
 * Sets the year's ε. Lowering it below what is already spent is allowed (nothing more is spent that year); the ledger's
 * spent ρ is never changed. Throws FORBIDDEN, DATASET_NOT_FOUND, VALIDATION_FAILED.
 */
export async function setDatasetBudget(ctx: JobsContext, policies: PolicySet, code: string, raw: DatasetBudgetInput): Promise<DatasetBudgetView> {
  const parsed = datasetBudgetSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'invalid request body', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  await authorized(ctx, code);
  if (!policies.datasets.has(code)) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no policy', { details: { dataset: code } });
  const year = parsed.data.year ?? yearOf(new Date());
  const actor = ctx.actor.type === 'staff' ? ctx.actor.id : null;
  await ctx.database.db.transaction(async (tx) => {
    await tx.insert(datasetBudgets).values({ dataset: code, year }).onConflictDoNothing();
    const [before] = await tx.select().from(datasetBudgets).where(and(eq(datasetBudgets.dataset, code), eq(datasetBudgets.year, year))).for('update');
    await tx.update(datasetBudgets).set({ epsilonTotal: parsed.data.epsilon, setBy: actor, setAt: new Date() }).where(and(eq(datasetBudgets.dataset, code), eq(datasetBudgets.year, year)));
    await appendAudit(tx, {
      actor: { type: 'staff', id: actor },
      action: 'privacy.dataset_budget.set',
      resource: `dataset:${code}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { year, reason: parsed.data.reason, before: { epsilon: before?.epsilonTotal ?? null }, after: { epsilon: parsed.data.epsilon, rhoNano: toNano(rhoFromEpsilon(parsed.data.epsilon), 'up') } },
    });
  });
  return view(ctx, policies, code, year);
}
