// Output disclosure control without differential privacy (输出审查): for the releases a job explicitly asks to have
// without DP, which always end in two stewards' review (DP releases go through release-dp.ts). Takes the platform's
// aggregates and the dataset's rules and returns what may leave, with a report of every check. Order: size gate →
// aggregate kinds → primary suppression (small cells, dominance, differencing) → secondary suppression → rounding →
// model checks → human review. These checks read true counts: that is why their result goes to people, not out.

import type { DisclosureRules } from '../../policies/index.ts';
import type { AggregateTable, PopulationSketch } from '../reduce/index.ts';
import { differencingCheck, type CandidateCell, type ReleasedCellRecord } from './differencing.ts';
import { dominance, DOMINANCE_RULE, type DominanceRule } from './dominance.ts';
import { CONTRIBUTORS_PER_COEFFICIENT, type ModelEvidence, type ModelFit, modelFindings, type ModelProblem, MODEL_SIGNIFICANT_DIGITS, releasedFit, type ReleasedFit } from './model-checks.ts';
import type { CheckOutcome } from './release-record.ts';
import { renderTable, type ReleasedTable } from './render-release.ts';
import { roundTo } from './round.ts';
import { DEFAULT_SIZE_LIMITS, sizeGate, type SizeLimits } from './size-gate.ts';
import { suppressSmallCells } from './suppress.ts';
import { groupContributors, patternGroups, tableEntries } from './table-entries.ts';
import type { SuppressionMark } from './table-layout.ts';

export interface ModelOutput extends ModelEvidence {
  readonly name: string;
  readonly dataset: string;
  readonly fit: ModelFit;
  /** the population of the fit, for the differencing check (reduce's fitModel builds it); null or absent: unchecked */
  readonly sketch?: PopulationSketch | null;
}

export interface ReleaseRequest {
  readonly tables: readonly AggregateTable[];
  readonly models?: readonly ModelOutput[];
  /** how many outputs the platform cannot check (free-form): any sends the release to review */
  readonly freeForm?: number;
}

export interface CheckReleaseOptions {
  readonly jobId: string;
  readonly licenseId: string;
  /** the ledger of cells released earlier from these datasets (by any job or operator) */
  readonly releasedCells?: readonly ReleasedCellRecord[];
  readonly limits?: SizeLimits;
  readonly dominance?: DominanceRule;
  readonly suppressZeros?: boolean;
}

export type ReleasedModel =
  | (ReleasedFit & { readonly name: string; readonly withheld: false })
  | { readonly name: string; readonly model: ModelFit['model']; readonly withheld: true; readonly problems: readonly ModelProblem[]; readonly smallDummies?: readonly string[] };

export interface ReleaseCheck {
  readonly outcome: 'release' | 'review' | 'refuse';
  readonly released: { readonly tables: readonly ReleasedTable[]; readonly models: readonly ReleasedModel[] };
  readonly report: readonly CheckOutcome[];
  /** 0: nothing here spends privacy budget */
  readonly epsilonSpent: number;
  /** cells to add to the ledger of released cells (withheld ones marked) */
  readonly releasedCells: readonly ReleasedCellRecord[];
}

/**
 * Checks a release against the dataset's rules. Refuses (outcome 'refuse', nothing released) on the size gate or an
 * aggregate kind the rules do not allow. Otherwise withholds what it must and returns the rest, for release or, when
 * the rules or free-form outputs require it, for review.
 */
export function checkRelease(request: ReleaseRequest, rules: DisclosureRules, options: CheckReleaseOptions): ReleaseCheck {
  const { tables } = request;
  const models = request.models ?? [];
  const t = rules.minCellCount;
  const report: CheckOutcome[] = [];
  const refuse = (): ReleaseCheck => ({ outcome: 'refuse', released: { tables: [], models: [] }, report, epsilonSpent: 0, releasedCells: [] });
  const entries = tables.map(tableEntries);

  // 1. Size gate.
  const limits = options.limits ?? DEFAULT_SIZE_LIMITS;
  const gate = sizeGate(
    [
      ...tables.map((table, k) => ({ name: table.name, rows: entries[k]!.length, cells: entries[k]!.length })),
      ...models.map((m) => ({ name: m.name, rows: m.fit.terms.length, cells: 2 * m.fit.terms.length })),
    ],
    limits,
  );
  report.push({ check: 'size_gate', outcome: gate.ok ? 'pass' : 'fail', details: { rows: gate.rows, cells: gate.cells, tooLarge: gate.tooLarge, ...limits } });
  if (!gate.ok) return refuse();

  // 2. Aggregate kinds the rules allow (min and max single out a person; quantiles nearly).
  const notAllowed = [
    ...tables.filter((table) => !rules.aggregates.includes(table.kind)).map((table) => table.name),
    ...(rules.aggregates.includes('model_fit') ? [] : models.map((m) => m.name)),
  ];
  report.push({ check: 'aggregate_kinds', outcome: notAllowed.length ? 'fail' : 'pass', details: { allowed: rules.aggregates, notAllowed } });
  if (notAllowed.length) return refuse();

  // 4. Primary suppression: small cells, by each table's own contributor counts.
  const lowest = options.suppressZeros ? 0 : 1;
  const flags: SuppressionMark[][] = entries.map((es) => es.map((c) => (c.contributors >= lowest && c.contributors < t ? 'small_cell' : null)));
  const small = count(flags, 'small_cell');
  report.push({ check: 'small_cells', outcome: small ? 'applied' : 'pass', details: { threshold: t, suppressed: small } });

  // 5. Dominance of sums and means.
  const rule = options.dominance ?? DOMINANCE_RULE;
  tables.forEach((table, k) => {
    if (table.kind !== 'sum' && table.kind !== 'mean') return;
    entries[k]!.forEach((c, e) => {
      if (flags[k]![e] === null && dominance({ top1: c.top1, top2: c.top2, total: c.magnitude }, rule).dominated) flags[k]![e] = 'dominance';
    });
  });
  const dominated = count(flags, 'dominance');
  report.push({ check: 'dominance', outcome: dominated ? 'applied' : 'pass', details: { rule: { n: rule.n, k: rule.k }, suppressed: dominated } });

  // 6. Differencing against earlier releases and between this release's outputs.
  const candidates: CandidateCell[] = [];
  const where: [number, number][] = [];
  entries.forEach((es, k) =>
    es.forEach((c, e) => {
      if (flags[k]![e] !== null || c.contributors === 0) return;
      candidates.push({ dataset: tables[k]!.dataset, output: tables[k]!.name, labels: c.labels, population: c.contributors, sketch: c.sketch });
      where.push([k, e]);
    }),
  );
  // a model's population is a cell too: the same model on A and on A less one person gives that person away
  const tableCandidates = candidates.length;
  for (const m of models) candidates.push({ dataset: m.dataset, output: m.name, labels: [], population: m.fit.contributors, sketch: m.sketch ?? null });
  const diff = differencingCheck(options.releasedCells ?? [], candidates, t);
  const differencedModels = new Set<number>();
  for (const c of diff.blocked) {
    if (c >= tableCandidates) differencedModels.add(c - tableCandidates);
    else flags[where[c]![0]]![where[c]![1]] = 'differencing';
  }
  report.push({
    check: 'differencing',
    outcome: candidates.length > 0 && diff.unchecked === candidates.length ? 'not_applicable' : diff.blocked.length ? 'applied' : 'pass',
    details: { suppressed: diff.blocked.length - differencedModels.size, models: differencedModels.size, unchecked: diff.unchecked, earlierCells: options.releasedCells?.length ?? 0 },
  });

  // 7. Secondary suppression, one pattern per group of tables over the same dimensions.
  const marks: SuppressionMark[][] = entries.map((es) => es.map(() => null));
  for (const group of patternGroups(tables)) {
    const width = tableEntries(group.shape).length;
    const primary: SuppressionMark[] = new Array<SuppressionMark>(width).fill(null);
    for (const k of group.tables) flags[k]!.forEach((m, e) => (primary[e] ??= m));
    const result = suppressSmallCells(groupContributors(group, tables), t, { primary, suppressZeros: options.suppressZeros ?? false });
    for (const k of group.tables) marks[k] = result.marks.slice(0, entries[k]!.length);
  }
  const secondary = count(marks, 'secondary');
  report.push({ check: 'secondary_suppression', outcome: secondary ? 'applied' : 'pass', details: { suppressed: secondary } });

  const values: number[][] = entries.map((es) => es.map((c) => c.value));

  // 9. Rounding of counts and sums.
  const base = rules.roundingBase;
  const rounded = tables.filter((table) => base > 1 && (table.kind === 'count' || table.kind === 'sum'));
  tables.forEach((table, k) => {
    if (!rounded.includes(table)) return;
    values[k] = values[k]!.map((v) => (Number.isFinite(v) ? Math.max(table.kind === 'count' ? 0 : -Infinity, roundTo(v, base)) : v));
  });
  report.push({ check: 'rounding', outcome: rounded.length ? 'applied' : 'not_applicable', details: { base, outputs: rounded.map((table) => table.name) } });

  // 10. Models.
  const releasedModels: ReleasedModel[] = models.map((m, k) => {
    const { problems, smallDummies } = modelFindings(m.fit, t, m);
    if (differencedModels.has(k)) problems.push('differencing');
    if (problems.length === 0) return { ...releasedFit(m.fit, base), name: m.name, withheld: false };
    return { name: m.name, model: m.fit.model, withheld: true, problems, ...(smallDummies.length ? { smallDummies } : {}) };
  });
  const withheldModels = releasedModels.filter((m) => m.withheld).length;
  report.push({
    check: 'model_checks',
    outcome: models.length === 0 ? 'not_applicable' : withheldModels ? 'applied' : 'pass',
    details: {
      withheld: withheldModels,
      ...(models.length
        ? {
            rules: { minContributors: t, contributorsPerCoefficient: CONTRIBUTORS_PER_COEFFICIENT, minResidualDf: t, significantDigits: MODEL_SIGNIFICANT_DIGITS, countsRoundedTo: base },
            models: releasedModels.map((m) => ({ name: m.name, model: m.model, outcome: m.withheld ? 'withheld' : 'released', problems: m.withheld ? m.problems : [] })),
          }
        : {}),
    },
  });

  // 11. Human review.
  const freeForm = request.freeForm ?? 0;
  const review = rules.humanReview || freeForm > 0;
  report.push({ check: 'human_review', outcome: review ? 'applied' : 'not_applicable', details: { grade: rules.humanReview, freeForm } });

  const releasedTables = tables.map((table, k) => renderTable(table, marks[k]!, values[k]!, { noise: null, roundedTo: rounded.includes(table) ? base : null }));
  // withheld cells enter the ledger too, marked: a later release of the same population would undo the withholding
  const releasedCells: ReleasedCellRecord[] = [];
  entries.forEach((es, k) =>
    es.forEach((c, e) => {
      if (c.contributors > 0 && c.sketch) {
        releasedCells.push({ dataset: tables[k]!.dataset, jobId: options.jobId, output: tables[k]!.name, labels: c.labels, population: c.contributors, sketch: c.sketch, withheld: marks[k]![e] !== null });
      }
    }),
  );
  models.forEach((m, k) => {
    if (!releasedModels[k]!.withheld && m.sketch) releasedCells.push({ dataset: m.dataset, jobId: options.jobId, output: m.name, labels: [], population: m.fit.contributors, sketch: m.sketch });
  });
  return {
    outcome: review ? 'review' : 'release',
    released: { tables: releasedTables, models: releasedModels },
    report,
    epsilonSpent: 0,
    releasedCells,
  };
}

function count(marks: readonly (readonly SuppressionMark[])[], reason: SuppressionMark): number {
  return marks.reduce((s, ms) => s + ms.filter((m) => m === reason).length, 0);
}
