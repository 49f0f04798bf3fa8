// Disclosure control ONCE, on the coordinator, over the unmasked total: the totals become aggregate tables, go through
// checkRelease with the rules of the fields (suppression, rounding, DP noise charged to the operator's licence), and
// the charge and the `federation.released` audit entry commit together. Rules that ask for review hold the result.
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, licenses, type Database } from '../../store/index.ts';
import { RUN_ACTIONS } from '../jobs/index.ts';
import { checkRelease, type BudgetLedger, type ReleaseCheck } from '../disclosure/index.ts';
import type { RandomSource } from '../dp/index.ts';
import { licenceCaps } from '../jobs/budget-caps.ts';
import { budgetLedger } from '../jobs/schema.ts';
import type { AggregateTable, TableCell } from '../reduce/index.ts';
import { roundEvent } from './audit.ts';
import type { RoundSum } from './coordinator.ts';
import type { FederatedJob } from './spec.ts';

export interface ReleaseOptions {
  database: Database;
  policies: PolicySet;
  nodeId: string;
  licenseId: string;
  operatorId: string;
  /** differential privacy: ε charged to the licence on this node */
  epsilon?: number;
  /** tests only: seeded noise */
  rng?: RandomSource;
}

export interface FederatedRelease {
  roundId: string;
  outcome: ReleaseCheck['outcome'];
  released: ReleaseCheck['released'] | null;
  report: ReleaseCheck['report'];
  survivors: string[];
  dropped: string[];
  epsilonSpent: number;
}

/** The summed partials as the tables a local job would have built (contributors = the summed counts). */
export function totalsToTables(job: FederatedJob, totals: Float64Array): AggregateTable[] {
  const g = job.domain.length;
  const base = { dataset: job.dataset, dims: [job.key], prob: null, rowsPerContributor: 1, layout: 'flat' as const, rowLabels: null, columnLabels: null, totals: null, clamped: 0, excludedRows: 0 };
  const count = (i: number) => Math.max(0, Math.round(totals[i]!));
  const countCells: TableCell[] = job.domain.map((label, i) => ({ labels: [label], contributors: count(i), value: count(i), n: count(i), sum: NaN, top1: 0, top2: 0, magnitude: 0, sketch: null }));
  const tables: AggregateTable[] = [{ ...base, name: 'count', kind: 'count', measure: null, bounds: null, countOf: 'contributors', cells: countCells }];
  if (job.sum) {
    const { lo, hi } = job.sum.bounds;
    const most = Math.max(Math.abs(lo), Math.abs(hi));
    // the largest contributions are not known under secure aggregation: the dominance rule gets the worst case the
    // bounds allow (two contributors at the bound), which is conservative
    const sumCells: TableCell[] = job.domain.map((label, i) => {
      const s = totals[g + i]!;
      const magnitude = Math.abs(s);
      const top1 = Math.min(magnitude, most);
      const top2 = Math.min(magnitude - top1, most);
      return { labels: [label], contributors: count(i), value: s, n: count(i), sum: s, top1, top2, magnitude, sketch: null };
    });
    tables.push({ ...base, name: 'sum', kind: 'sum', measure: job.sum.measure, bounds: { lo, hi }, countOf: null, cells: sumCells });
  }
  return tables;
}

/**
 * Checks and releases a round's total. Throws AppError FORBIDDEN when the licence is no longer active. A refusal by
 * the checks is returned (outcome 'refuse', nothing released) and audited like a release.
 */
export async function releaseTotals(sum: RoundSum, options: ReleaseOptions): Promise<FederatedRelease> {
  const { database, nodeId, licenseId } = options;
  const job = sum.params.job;
  const roundId = sum.params.roundId;
  const [licence] = await database.db.select().from(licenses).where(eq(licenses.id, licenseId));
  const now = new Date();
  if (!licence || licence.status !== 'active' || now < licence.validFrom || now >= licence.validTo)
    throw new AppError('FORBIDDEN', 'the licence is no longer valid', { details: { reason: 'licence-inactive' } });
  const rules = disclosureRules(options.policies, job.dataset, job.fields);
  const caps = licenceCaps(licence.privacyEpsilon, rules);
  const rows = await database.db.select().from(budgetLedger).where(and(eq(budgetLedger.licenseId, licenseId), eq(budgetLedger.dataset, job.dataset)));
  const ledger: BudgetLedger = { version: 0, accounts: rows.map((r) => ({ licenseId, dataset: r.dataset, spentMicro: r.spentMicro })) };
  const check = checkRelease({ tables: totalsToTables(job, sum.totals) }, { ...rules, epsilonPerJob: caps.perJob, epsilonPerLicence: caps.perLicence }, {
    jobId: `federated:${roundId}`,
    licenseId,
    ...(options.epsilon ? { dp: { epsilon: options.epsilon } } : {}),
    budget: ledger,
    ...(options.rng ? { rng: options.rng } : {}),
  });
  const after = check.budget?.accounts.find((a) => a.licenseId === licenseId && a.dataset === job.dataset);
  const before = rows[0];
  await database.db.transaction(async (tx) => {
    if (after && after.spentMicro !== (before?.spentMicro ?? 0)) {
      const moved = before
        ? await tx
            .update(budgetLedger)
            .set({ spentMicro: after.spentMicro, version: sql`${budgetLedger.version} + 1` })
            .where(and(eq(budgetLedger.licenseId, licenseId), eq(budgetLedger.dataset, job.dataset), eq(budgetLedger.version, before.version)))
            .returning({ v: budgetLedger.version })
        : await tx.insert(budgetLedger).values({ licenseId, dataset: job.dataset, spentMicro: after.spentMicro, version: 1 }).onConflictDoNothing().returning({ v: budgetLedger.version });
      // another job spent on the same account meanwhile: nothing is released (the operator may submit again)
      if (moved.length === 0) throw new AppError('CONFLICT', 'the privacy budget changed during the round; submit again', { details: { reason: 'budget-conflict' } });
      await appendAudit(tx, { actor: { type: 'system', id: `federation:${nodeId}` }, action: 'budget.charged', resource: `license:${licenseId}`, outcome: 'ok', details: { roundId, datasets: [job.dataset], epsilon: check.epsilonSpent } });
    }
    // the round counts once against the licence's daily quota, like a job, a PSI run or a scoring run
    await appendAudit(tx, { actor: { type: 'system', id: `federation:${nodeId}` }, action: RUN_ACTIONS.federated, resource: `license:${licenseId}`, outcome: 'ok', details: { roundId } });
    const action = check.outcome === 'refuse' ? 'federation.release.refused' : check.outcome === 'review' ? 'federation.release.held' : 'federation.released';
    await appendAudit(tx, {
      ...roundEvent(nodeId, roundId, action, check.outcome === 'refuse' ? 'deny' : 'ok', {
        licenseId,
        operator: options.operatorId,
        survivors: sum.survivors,
        dropped: sum.dropped.map((d) => d.party),
        epsilon: check.epsilonSpent,
        checks: check.report.map((c) => `${c.check}:${c.outcome}`),
      }),
    });
  });
  return {
    roundId,
    outcome: check.outcome,
    released: check.outcome === 'release' ? check.released : null,
    report: check.report,
    survivors: sum.survivors,
    dropped: sum.dropped.map((d) => d.party),
    epsilonSpent: check.epsilonSpent,
  };
}
