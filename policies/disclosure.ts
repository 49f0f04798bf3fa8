// Output disclosure rules derived from grade: what the sandbox enforces on aggregates before anything leaves.
// The table is repeated in docs/policies.md (a test keeps the two equal).

import { gradeRank, type GradeLabel } from './grades.ts';
import { datasetPolicy, fieldPolicy, type PolicySet } from './policy-set.ts';

/** Aggregates trusted platform code can compute from what operator code emits. */
export const AGGREGATE_KINDS = ['count', 'sum', 'mean', 'variance', 'quantile', 'min', 'max', 'model_fit'] as const;
export type AggregateKind = (typeof AGGREGATE_KINDS)[number];

export interface DisclosureRules {
  /** the grade the rules come from: the strictest of the dataset's fields */
  readonly grade: GradeLabel;
  /** cells (groups) with fewer contributors are suppressed, with secondary suppression */
  readonly minCellCount: number;
  /** released counts and sums are rounded to a multiple of this (1 = no rounding) */
  readonly roundingBase: number;
  /** ε one job may spend (at δ = 1e-8), and what a job spends when it does not say: DP is the default */
  readonly epsilonPerJob: number;
  /** ε of a licence on the dataset over its lifetime, across all its jobs (zCDP composition) */
  readonly epsilonPerLicence: number;
  /** ε of the dataset per calendar year over every licence and the platform's own releases, unless a steward sets it */
  readonly epsilonPerDatasetYear: number;
  /** rows one contributor may add to a release, at most (jobs ask for fewer; DP sensitivities scale with it) */
  readonly maxRowsPerContributor: number;
  /** aggregates the platform may release; min and max single out one person's value, quantiles nearly so */
  readonly aggregates: readonly AggregateKind[];
  /** whether a steward reviews every result before release */
  readonly humanReview: boolean;
}

const ALL = AGGREGATE_KINDS;
const NO_EXTREMES: readonly AggregateKind[] = ['count', 'sum', 'mean', 'variance', 'quantile', 'model_fit'];

/** The rules per grade. Each row is at least as strict as the one before it in every column. */
export const DISCLOSURE_BY_GRADE: Readonly<Record<GradeLabel, DisclosureRules>> = {
  'general-1': { grade: 'general-1', minCellCount: 5, roundingBase: 1, epsilonPerJob: 2, epsilonPerLicence: 20, epsilonPerDatasetYear: 200, maxRowsPerContributor: 20, aggregates: ALL, humanReview: false },
  'general-2': { grade: 'general-2', minCellCount: 5, roundingBase: 1, epsilonPerJob: 1.5, epsilonPerLicence: 15, epsilonPerDatasetYear: 150, maxRowsPerContributor: 20, aggregates: ALL, humanReview: false },
  'general-3': { grade: 'general-3', minCellCount: 10, roundingBase: 5, epsilonPerJob: 1, epsilonPerLicence: 10, epsilonPerDatasetYear: 100, maxRowsPerContributor: 10, aggregates: NO_EXTREMES, humanReview: false },
  'general-4': { grade: 'general-4', minCellCount: 10, roundingBase: 5, epsilonPerJob: 1, epsilonPerLicence: 8, epsilonPerDatasetYear: 80, maxRowsPerContributor: 10, aggregates: NO_EXTREMES, humanReview: false },
  important: { grade: 'important', minCellCount: 20, roundingBase: 10, epsilonPerJob: 1, epsilonPerLicence: 5, epsilonPerDatasetYear: 50, maxRowsPerContributor: 5, aggregates: NO_EXTREMES, humanReview: false },
  core: { grade: 'core', minCellCount: 50, roundingBase: 10, epsilonPerJob: 0.5, epsilonPerLicence: 2, epsilonPerDatasetYear: 20, maxRowsPerContributor: 1, aggregates: ['count', 'sum', 'mean'], humanReview: true },
};

/** The rules of one grade. */
export function disclosureRulesForGrade(grade: GradeLabel): DisclosureRules {
  return DISCLOSURE_BY_GRADE[grade];
}

/**
 * The rules of a dataset: the strictest over its own grade and every one of its fields — never only the fields a job
 * happens to read, since a job's other outputs and later jobs combine (the largest cell minimum and rounding base, the
 * smallest budgets and contribution cap, the aggregates every field allows, review if any field needs it).
 * Throws AppError DATASET_NOT_FOUND for a dataset the policies do not know.
 */
export function disclosureRules(set: PolicySet, dataset: string): DisclosureRules {
  const policy = datasetPolicy(set, dataset);
  const own: GradeLabel = policy.grade === 'general' ? 'general-1' : policy.grade;
  return combine([own, ...[...policy.fields.keys()].map((f) => fieldPolicy(set, dataset, f).grade)]);
}

/**
 * The strictest rules over some fields only: for row-level releases (open downloads, k-anonymity), where exactly the
 * released fields appear. Aggregates use disclosureRules. With no fields, the dataset's own grade.
 * Throws AppError DATASET_NOT_FOUND or FIELD_NOT_FOUND for names the policies do not know.
 */
export function fieldDisclosureRules(set: PolicySet, dataset: string, fields: readonly string[]): DisclosureRules {
  const policy = datasetPolicy(set, dataset);
  if (fields.length === 0) return DISCLOSURE_BY_GRADE[policy.grade === 'general' ? 'general-1' : policy.grade];
  return combine(fields.map((f) => fieldPolicy(set, dataset, f).grade));
}

/**
 * Column-wise strictest combination of the rules of several grades (the table is monotone, but this does not rely
 * on it). Rounding bases are 1, 5 and 10, each dividing the next, so the largest is a multiple of all.
 * Throws TypeError for an empty list.
 */
export function combine(grades: readonly GradeLabel[]): DisclosureRules {
  const rules = grades.map((g) => DISCLOSURE_BY_GRADE[g]);
  const first = rules[0];
  if (!first) throw new TypeError('combine needs at least one grade');
  let out = first;
  for (const r of rules.slice(1)) {
    out = {
      grade: gradeRank(r.grade) > gradeRank(out.grade) ? r.grade : out.grade,
      minCellCount: Math.max(out.minCellCount, r.minCellCount),
      roundingBase: Math.max(out.roundingBase, r.roundingBase),
      epsilonPerJob: Math.min(out.epsilonPerJob, r.epsilonPerJob),
      epsilonPerLicence: Math.min(out.epsilonPerLicence, r.epsilonPerLicence),
      epsilonPerDatasetYear: Math.min(out.epsilonPerDatasetYear, r.epsilonPerDatasetYear),
      maxRowsPerContributor: Math.min(out.maxRowsPerContributor, r.maxRowsPerContributor),
      aggregates: out.aggregates.filter((a) => r.aggregates.includes(a)),
      humanReview: out.humanReview || r.humanReview,
    };
  }
  return out;
}
