// Output disclosure rules derived from grade: what the sandbox enforces on aggregates before anything leaves.
// The table is repeated in docs/policies.md (a test keeps the two equal).

import { gradeRank, type GradeLabel } from './grades.ts';
import { datasetPolicy, fieldPolicy, type PolicySet } from './policy-set.ts';

/** Aggregates trusted platform code can compute from what operator code emits. */
export const AGGREGATE_KINDS = ['count', 'sum', 'mean', 'variance', 'quantile', 'min', 'max', 'model_fit'] as const;
export type AggregateKind = (typeof AGGREGATE_KINDS)[number];

export interface DisclosureRules {
  /** the grade the rules come from: the strictest of the fields involved */
  readonly grade: GradeLabel;
  /** cells (groups) with fewer contributors are suppressed, with secondary suppression */
  readonly minCellCount: number;
  /** released counts and sums are rounded to a multiple of this (1 = no rounding) */
  readonly roundingBase: number;
  /** differential-privacy budget one job may spend */
  readonly epsilonPerJob: number;
  /** differential-privacy budget of a licence over its lifetime, across all its jobs */
  readonly epsilonPerLicence: number;
  /** aggregates the platform may release; min and max single out one person's value, quantiles nearly so */
  readonly aggregates: readonly AggregateKind[];
  /** whether a steward reviews every result before release */
  readonly humanReview: boolean;
}

const ALL = AGGREGATE_KINDS;
const NO_EXTREMES: readonly AggregateKind[] = ['count', 'sum', 'mean', 'variance', 'quantile', 'model_fit'];
const MOMENTS: readonly AggregateKind[] = ['count', 'sum', 'mean', 'variance', 'model_fit'];

/** The rules per grade. Each row is at least as strict as the one before it in every column. */
export const DISCLOSURE_BY_GRADE: Readonly<Record<GradeLabel, DisclosureRules>> = {
  'general-1': { grade: 'general-1', minCellCount: 5, roundingBase: 1, epsilonPerJob: 2, epsilonPerLicence: 20, aggregates: ALL, humanReview: false },
  'general-2': { grade: 'general-2', minCellCount: 5, roundingBase: 1, epsilonPerJob: 1, epsilonPerLicence: 10, aggregates: ALL, humanReview: false },
  'general-3': { grade: 'general-3', minCellCount: 10, roundingBase: 5, epsilonPerJob: 1, epsilonPerLicence: 10, aggregates: NO_EXTREMES, humanReview: false },
  'general-4': { grade: 'general-4', minCellCount: 10, roundingBase: 5, epsilonPerJob: 0.5, epsilonPerLicence: 5, aggregates: NO_EXTREMES, humanReview: false },
  important: { grade: 'important', minCellCount: 20, roundingBase: 10, epsilonPerJob: 0.3, epsilonPerLicence: 3, aggregates: MOMENTS, humanReview: false },
  core: { grade: 'core', minCellCount: 50, roundingBase: 10, epsilonPerJob: 0.1, epsilonPerLicence: 1, aggregates: ['count', 'sum', 'mean'], humanReview: true },
};

/** The rules of one grade. */
export function disclosureRulesForGrade(grade: GradeLabel): DisclosureRules {
  return DISCLOSURE_BY_GRADE[grade];
}

/**
 * The strictest rules over the fields a job or release involves: the largest cell minimum and rounding base,
 * the smallest budgets, the aggregates every field allows, review if any field needs it. With no fields, the
 * rules of the dataset's own grade (general data counts as general-1 there: its fields say more).
 * Throws AppError DATASET_NOT_FOUND or FIELD_NOT_FOUND for names the policies do not know.
 */
export function disclosureRules(set: PolicySet, dataset: string, fields: readonly string[]): DisclosureRules {
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
      aggregates: out.aggregates.filter((a) => r.aggregates.includes(a)),
      humanReview: out.humanReview || r.humanReview,
    };
  }
  return out;
}
