// The privacy budgets a job spends from, charged when the job is accepted (before any data is read, so that what a
// job learns, or how it ends, cannot change what it costs): the licence's ρ on the dataset, and the dataset's ρ for
// the calendar year over every licence — the budget that no number of licences escapes. Both in zCDP nano-units.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { disclosureRules, type DisclosureRules, type PolicySet } from '../../policies/index.ts';
import { licenses, type Db } from '../../store/index.ts';
import { budgetGauge, type BudgetGauge, rhoFromEpsilon, toNano } from '../dp/index.ts';
import { budgetLedger, datasetBudgets } from './schema.ts';

type Licence = typeof licenses.$inferSelect;

/** ρ the licence may spend on a dataset over its lifetime: the licence's ε and the rules' ε per licence, the smaller. */
export function licenceRhoCap(licence: Pick<Licence, 'privacyEpsilon'>, rules: DisclosureRules): number {
  // rounded like a charge, so a job of exactly the whole budget fits (the difference is under 1e-9 ρ)
  return toNano(rhoFromEpsilon(Math.min(licence.privacyEpsilon, rules.epsilonPerLicence)), 'up');
}

/** ρ the dataset may give out in a year: what a steward set, else the rules' default. */
export function datasetRhoCap(epsilonTotal: number | null, rules: DisclosureRules): number {
  return toNano(rhoFromEpsilon(epsilonTotal ?? rules.epsilonPerDatasetYear), 'up');
}

export const yearOf = (at: Date): number => at.getUTCFullYear();

/**
 * Charges `rhoNano` to the licence's account on the dataset and to the dataset's year, in `tx` (which must hold the
 * licence row lock: lockLicence). Throws BUDGET_EXHAUSTED naming the scope (`licence` or `dataset`) and the ε left.
 */
export async function chargeBudgets(tx: Db, licence: Licence, dataset: string, rhoNano: number, rules: DisclosureRules, now: Date): Promise<void> {
  await tx.insert(budgetLedger).values({ licenseId: licence.id, dataset, rhoSpentNano: 0, version: 0 }).onConflictDoNothing();
  const [account] = await tx.select().from(budgetLedger).where(and(eq(budgetLedger.licenseId, licence.id), eq(budgetLedger.dataset, dataset))).for('update');
  const licenceCap = licenceRhoCap(licence, rules);
  if (account!.rhoSpentNano + rhoNano > licenceCap) throw exhausted('licence', dataset, account!.rhoSpentNano, licenceCap);
  await chargeDatasetYear(tx, dataset, rhoNano, rules, now);
  await tx
    .update(budgetLedger)
    .set({ rhoSpentNano: sql`${budgetLedger.rhoSpentNano} + ${rhoNano}`, version: sql`${budgetLedger.version} + 1` })
    .where(and(eq(budgetLedger.licenseId, licence.id), eq(budgetLedger.dataset, dataset)));
}

/**
 * Charges the dataset's budget for the year alone: what every release from the dataset pays, the platform's own
 * publications (open statistics) included. Throws BUDGET_EXHAUSTED (scope `dataset`).
 */
export async function chargeDatasetYear(tx: Db, dataset: string, rhoNano: number, rules: DisclosureRules, now: Date): Promise<void> {
  const year = yearOf(now);
  await tx.insert(datasetBudgets).values({ dataset, year }).onConflictDoNothing();
  const [yearly] = await tx.select().from(datasetBudgets).where(and(eq(datasetBudgets.dataset, dataset), eq(datasetBudgets.year, year))).for('update');
  const datasetCap = datasetRhoCap(yearly!.epsilonTotal, rules);
  if (yearly!.rhoSpentNano + rhoNano > datasetCap) throw exhausted('dataset', dataset, yearly!.rhoSpentNano, datasetCap);
  await tx.update(datasetBudgets).set({ rhoSpentNano: sql`${datasetBudgets.rhoSpentNano} + ${rhoNano}` }).where(and(eq(datasetBudgets.dataset, dataset), eq(datasetBudgets.year, year)));
}

/** Gives a charge back (a job that never read data: its licence lapsed, or its model failed on synthetic rows). */
export async function refundBudgets(tx: Db, licenseId: string, dataset: string, rhoNano: number, chargedAt: Date): Promise<void> {
  if (rhoNano <= 0) return;
  await tx
    .update(budgetLedger)
    .set({ rhoSpentNano: sql`greatest(0, ${budgetLedger.rhoSpentNano} - ${rhoNano})`, version: sql`${budgetLedger.version} + 1` })
    .where(and(eq(budgetLedger.licenseId, licenseId), eq(budgetLedger.dataset, dataset)));
  await tx
    .update(datasetBudgets)
    .set({ rhoSpentNano: sql`greatest(0, ${datasetBudgets.rhoSpentNano} - ${rhoNano})` })
    .where(and(eq(datasetBudgets.dataset, dataset), eq(datasetBudgets.year, yearOf(chargedAt))));
}

function exhausted(scope: 'licence' | 'dataset', dataset: string, spent: number, cap: number): AppError {
  const gauge = budgetGauge(spent, cap);
  const message = scope === 'licence' ? 'the licence has not enough privacy budget left on this dataset' : 'the dataset has not enough privacy budget left this year';
  return new AppError('BUDGET_EXHAUSTED', message, { details: { scope, dataset, epsilonSpent: gauge.epsilonSpent, epsilonTotal: gauge.epsilonTotal } });
}

/** The fuel gauge of one licence on one dataset. Wire format of GET /operator/budget items: add fields, never rename. */
export interface BudgetView {
  licenseId: string;
  dataset: string;
  /** ε of the licence on the dataset (API.md), spent and left, at δ = gauge.delta */
  epsilonTotal: number;
  epsilonPerJob: number;
  epsilonSpent: number;
  epsilonRemaining: number;
  /** zCDP detail: ρ spent and total, the share used */
  licence: BudgetGauge;
  /** jobs left at the default ε per job, given what the licence has left */
  jobsLeftAtDefault: number;
  /** the dataset's budget for this year over every licence */
  datasetYear: BudgetGauge & { year: number };
}

/** The budget of the given licences (any status), per licensed dataset with a policy. The caller decides who may see it. */
export async function licenceBudgets(db: Db, policies: PolicySet, licenceIds: readonly string[], now = new Date()): Promise<BudgetView[]> {
  if (licenceIds.length === 0) return [];
  const ids = [...licenceIds];
  const live = await db.select().from(licenses).where(inArray(licenses.id, ids));
  const accounts = await db.select().from(budgetLedger).where(inArray(budgetLedger.licenseId, ids));
  const codes = [...new Set(live.flatMap((l) => l.datasets.map((d) => d.code)))];
  const years = codes.length ? await db.select().from(datasetBudgets).where(and(inArray(datasetBudgets.dataset, codes), eq(datasetBudgets.year, yearOf(now)))) : [];
  return live.flatMap((licence) =>
    licence.datasets
      .filter((d) => policies.datasets.has(d.code))
      .map((d) => {
        const rules = disclosureRules(policies, d.code);
        const cap = licenceRhoCap(licence, rules);
        const spent = accounts.find((a) => a.licenseId === licence.id && a.dataset === d.code)?.rhoSpentNano ?? 0;
        const gauge = budgetGauge(spent, cap);
        const yearly = years.find((y) => y.dataset === d.code);
        const perJob = Math.min(rules.epsilonPerJob, licence.privacyEpsilon);
        const jobNano = toNano(rhoFromEpsilon(perJob), 'up');
        return {
          licenseId: licence.id,
          dataset: d.code,
          epsilonTotal: gauge.epsilonTotal,
          epsilonPerJob: perJob,
          epsilonSpent: gauge.epsilonSpent,
          epsilonRemaining: Math.max(0, Math.round((gauge.epsilonTotal - gauge.epsilonSpent) * 1e4) / 1e4),
          licence: gauge,
          jobsLeftAtDefault: Math.max(0, Math.floor((cap - spent) / jobNano)),
          datasetYear: { ...budgetGauge(yearly?.rhoSpentNano ?? 0, datasetRhoCap(yearly?.epsilonTotal ?? null, rules)), year: yearOf(now) },
        };
      }),
  );
}
