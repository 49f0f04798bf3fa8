// The release of a job under differential privacy — the default for every number a job releases from real data.
// One ρ, paid when the job was accepted, split over the outputs; tables through dp-tables.ts, models through the DP
// fits of sandbox/dp. Every check here reads noisy values or public facts (declared bounds, domains, the rules), so
// what is withheld is itself part of the DP release. Pure apart from the noise.

import type { DisclosureRules } from '../../policies/index.ts';
import { BUDGET_DELTA, cryptoRandom, type DpModelFit, type DpModelInput, epsilonFromRho, fitDpModel, PARTITION_DELTA, type RandomSource, Z95 } from '../dp/index.ts';
import { type DpTable, type DpTableRequest, dpTableObstacle, dpTableUnits, releaseDpTables } from './dp-tables.ts';
import { CONTRIBUTORS_PER_COEFFICIENT, MODEL_SIGNIFICANT_DIGITS } from './model-checks.ts';
import type { CheckOutcome } from './release-record.ts';
import { roundTo } from './round.ts';
import { DEFAULT_SIZE_LIMITS, sizeGate, type SizeLimits } from './size-gate.ts';

export interface DpModelRequest {
  readonly name: string;
  /** null when the emitted rows cannot make the model (no label, a feature not emitted): withheld, with the reason */
  readonly input: DpModelInput | null;
  readonly problem?: string;
}

export interface DpReleaseRequest {
  readonly tables: readonly DpTableRequest[];
  readonly models: readonly DpModelRequest[];
}

export type DpModelProblem = 'too_few_rows' | 'too_few_per_coefficient' | 'small_outcome_class' | 'unstable_estimates' | 'not_identifiable' | 'bad_emission';

export type DpReleasedModel =
  /** the fit's figures as released: counts rounded, real numbers to a few significant digits */
  | (Pick<DpModelFit, 'model' | 'terms' | 'coefficients' | 'standardErrors' | 'intervals' | 'n' | 'sigma' | 'rSquared' | 'classRows' | 'iterations' | 'converged'> & {
      readonly name: string;
      readonly withheld: false;
      readonly roundedTo: number;
      readonly significantDigits: number;
      readonly noise: { readonly mechanism: 'gaussian'; readonly rho: number };
    })
  | { readonly name: string; readonly withheld: true; readonly model: 'linear' | 'logistic' | null; readonly problems: readonly DpModelProblem[] };

export interface DpReleaseCheck {
  readonly outcome: 'release' | 'review' | 'refuse';
  readonly released: { readonly tables: readonly DpTable[]; readonly models: readonly DpReleasedModel[] };
  readonly report: readonly CheckOutcome[];
  /** the job's ε alone, at BUDGET_DELTA (what it was charged as ρ) */
  readonly epsilonSpent: number;
}

export interface DpReleaseOptions {
  /** the job's ρ (charged at submission) */
  readonly rho: number;
  readonly rng?: RandomSource;
  readonly limits?: SizeLimits;
}

/** ρ units of a model: like a table statistic, one share. */
const MODEL_UNITS = 1;

/**
 * Releases the outputs under `options.rho`. Refuses (nothing released) when the release is over the size gate after
 * selection — a post-processing decision — or when a table cannot be noised (missing bounds: caught at submission).
 */
export function checkDpRelease(request: DpReleaseRequest, rules: DisclosureRules, options: DpReleaseOptions): DpReleaseCheck {
  const rng = options.rng ?? cryptoRandom;
  const report: CheckOutcome[] = [];
  const epsilonSpent = Math.round(epsilonFromRho(options.rho) * 1e6) / 1e6;
  const refuse = (): DpReleaseCheck => ({ outcome: 'refuse', released: { tables: [], models: [] }, report, epsilonSpent });

  const obstacles = request.tables.flatMap((r) => {
    const o = dpTableObstacle(r.table);
    return o ? [{ output: r.table.name, reason: o }] : [];
  });
  report.push({ check: 'dp_preconditions', outcome: obstacles.length ? 'fail' : 'pass', details: { obstacles } });
  if (obstacles.length) return refuse();

  // ρ split: every table statistic and every model one share, people counts as dp-tables decides
  const tableUnits = request.tables.reduce((s, r) => s + dpTableUnits(r.table.kind), 0);
  const modelUnits = request.models.length * MODEL_UNITS;
  const estimateUnits = tableUnits + modelUnits + request.tables.length; // upper bound of dp-tables' people counts
  const tableRho = request.tables.length ? (options.rho * (estimateUnits - modelUnits)) / estimateUnits : 0;
  const modelRho = request.models.length ? (options.rho * MODEL_UNITS) / estimateUnits : 0;

  const tables = request.tables.length
    ? releaseDpTables(request.tables, { rho: tableRho, minCellCount: rules.minCellCount, roundingBase: rules.roundingBase, rng, partitionDelta: PARTITION_DELTA })
    : { tables: [], summary: { units: 0, selectedGroups: 0, smallCells: 0, dominance: 0, secondary: 0 } };
  report.push({
    check: 'dp_noise',
    outcome: 'applied',
    details: { mechanism: 'gaussian', epsilon: epsilonSpent, delta: BUDGET_DELTA, rho: options.rho, tables: request.tables.length, models: request.models.length },
  });
  const selected = request.tables.filter((r) => r.domain === null).length;
  report.push({ check: 'partition_selection', outcome: selected ? 'applied' : 'not_applicable', details: { tables: selected, delta: selected ? PARTITION_DELTA : 0 } });

  // the size gate on what would be shown: after selection, so a post-processing decision
  const limits = options.limits ?? DEFAULT_SIZE_LIMITS;
  const gate = sizeGate(
    [
      ...tables.tables.map((t) => ({ name: t.name, rows: t.cells.length, cells: t.cells.length })),
      ...request.models.map((m) => ({ name: m.name, rows: (m.input?.names.length ?? 0) + 1, cells: 2 * ((m.input?.names.length ?? 0) + 1) })),
    ],
    limits,
  );
  report.push({ check: 'size_gate', outcome: gate.ok ? 'pass' : 'fail', details: { rows: gate.rows, cells: gate.cells, tooLarge: gate.tooLarge, ...limits } });
  if (!gate.ok) return refuse();

  report.push({ check: 'small_cells', outcome: tables.summary.smallCells ? 'applied' : 'pass', details: { threshold: rules.minCellCount, on: 'noisy counts', suppressed: tables.summary.smallCells } });
  report.push({ check: 'dominance', outcome: tables.summary.dominance ? 'applied' : 'pass', details: { on: 'declared bounds and noisy totals', suppressed: tables.summary.dominance } });
  report.push({ check: 'secondary_suppression', outcome: tables.summary.secondary ? 'applied' : 'pass', details: { suppressed: tables.summary.secondary } });
  const rounded = tables.tables.filter((t) => t.roundedTo !== null).map((t) => t.name);
  report.push({ check: 'rounding', outcome: rounded.length ? 'applied' : 'not_applicable', details: { base: rules.roundingBase, outputs: rounded } });

  const models = request.models.map((m) => releaseModel(m, modelRho, rules, rng));
  const withheld = models.filter((m) => m.withheld);
  report.push({
    check: 'model_checks',
    outcome: models.length === 0 ? 'not_applicable' : withheld.length ? 'applied' : 'pass',
    details: { on: 'noisy counts', withheld: withheld.length, models: models.map((m) => ({ name: m.name, outcome: m.withheld ? 'withheld' : 'released', problems: m.withheld ? m.problems : [] })) },
  });

  report.push({ check: 'human_review', outcome: rules.humanReview ? 'applied' : 'not_applicable', details: { grade: rules.humanReview } });
  return { outcome: rules.humanReview ? 'review' : 'release', released: { tables: tables.tables, models }, report, epsilonSpent };
}

const significant = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(MODEL_SIGNIFICANT_DIGITS)) : x);

function releaseModel(m: DpModelRequest, rho: number, rules: DisclosureRules, rng: RandomSource): DpReleasedModel {
  if (!m.input) return { name: m.name, withheld: true, model: null, problems: ['bad_emission'] };
  const fit: DpModelFit | null = fitDpModel(m.input, rho, rng);
  if (!fit) return { name: m.name, withheld: true, model: m.input.kind, problems: ['not_identifiable'] };
  // on the noisy counts (post-processing): the DP noise protects the people; these rules keep out fits too small to mean
  // anything — a count must clear the rule with 95 % confidence (its lower bound), so a model of an outcome nobody has
  // is withheld however the noise fell — and the standard errors and intervals (which include the noise) say how much
  // the rest mean
  const t = rules.minCellCount;
  const problems: DpModelProblem[] = [];
  const q = fit.terms.length;
  const nLow = fit.n - Z95 * fit.nSd;
  if (nLow < t) problems.push('too_few_rows');
  if (nLow < CONTRIBUTORS_PER_COEFFICIENT * q) problems.push('too_few_per_coefficient');
  if (fit.classRows && Math.min(...fit.classRows) - Z95 * (fit.classRowsSd ?? 0) < t) problems.push('small_outcome_class');
  if (fit.coefficients.some((b, j) => !Number.isFinite(b) || !Number.isFinite(fit.standardErrors[j]!))) problems.push('unstable_estimates');
  if (problems.length) return { name: m.name, withheld: true, model: fit.model, problems };
  const base = rules.roundingBase;
  const count = (n: number) => Math.max(0, base > 1 ? roundTo(n, base) : Math.round(n));
  return {
    name: m.name,
    withheld: false,
    model: fit.model,
    terms: fit.terms,
    coefficients: fit.coefficients.map(significant),
    standardErrors: fit.standardErrors.map(significant),
    intervals: fit.intervals.map(([lo, hi]) => [significant(lo), significant(hi)] as const),
    n: count(fit.n),
    ...(fit.sigma !== undefined ? { sigma: significant(fit.sigma) } : {}),
    ...(fit.rSquared !== undefined ? { rSquared: significant(fit.rSquared) } : {}),
    ...(fit.classRows ? { classRows: [count(fit.classRows[0]), count(fit.classRows[1])] as const } : {}),
    ...(fit.iterations !== undefined ? { iterations: fit.iterations, converged: fit.converged ?? false } : {}),
    roundedTo: base,
    significantDigits: MODEL_SIGNIFICANT_DIGITS,
    noise: { mechanism: 'gaussian', rho },
  };
}
