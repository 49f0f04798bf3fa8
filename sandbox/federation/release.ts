// Disclosure control ONCE, on the coordinator, over the unmasked total: the totals become aggregate tables over the
// job's declared domain, the licence's and the dataset's budgets are charged (before anything is computed from the
// totals, so the charge says nothing), and the totals are released under DP — the default for every number from real
// data — with the charge and the `federation.released` audit entry in one transaction.
import { AppError } from '../../errors/index.ts';
import { disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, type Database } from '../../store/index.ts';
import { chargeBudgets, lockLicence, RUN_ACTIONS } from '../jobs/index.ts';
import { checkDpRelease, type DpReleaseCheck } from '../disclosure/index.ts';
import { type RandomSource, rhoFromEpsilon, toNano } from '../dp/index.ts';
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
  /** ε of the round at δ = 1e-8 (default: the dataset's ε per job), charged to the licence and the dataset on this node */
  epsilon?: number;
  /** tests only: seeded noise */
  rng?: RandomSource;
}

export interface FederatedRelease {
  roundId: string;
  outcome: DpReleaseCheck['outcome'];
  released: DpReleaseCheck['released'] | null;
  report: DpReleaseCheck['report'];
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
  const rules = disclosureRules(options.policies, job.dataset);
  return database.db.transaction(async (tx) => {
    const licence = await lockLicence(tx, licenseId, options.operatorId).catch(() => null);
    const now = new Date();
    if (!licence || licence.status !== 'active' || now < licence.validFrom || now >= licence.validTo)
      throw new AppError('FORBIDDEN', 'the licence is no longer valid', { details: { reason: 'licence-inactive' } });
    const epsilon = options.epsilon ?? Math.min(rules.epsilonPerJob, licence.privacyEpsilon);
    if (epsilon > Math.min(rules.epsilonPerJob, licence.privacyEpsilon)) throw new AppError('BUDGET_EXHAUSTED', 'ε exceeds what one round may spend', { details: { epsilonPerJob: rules.epsilonPerJob } });
    const rho = rhoFromEpsilon(epsilon);
    const rhoNano = toNano(rho, 'up');
    await chargeBudgets(tx, licence, job.dataset, rhoNano, rules, now);
    await appendAudit(tx, { actor: { type: 'system', id: `federation:${nodeId}` }, action: 'budget.charged', resource: `license:${licenseId}`, outcome: 'ok', details: { roundId, dataset: job.dataset, rhoNano } });
    const tables = totalsToTables(job, sum.totals).map((table) => ({ table, domain: [job.domain] }));
    const check = checkDpRelease({ tables, models: [] }, rules, { rho, ...(options.rng ? { rng: options.rng } : {}) });
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
    return {
      roundId,
      outcome: check.outcome,
      released: check.outcome === 'release' ? check.released : null,
      report: check.report,
      survivors: sum.survivors,
      dropped: sum.dropped.map((d) => d.party),
      epsilonSpent: check.epsilonSpent,
    };
  });
}
