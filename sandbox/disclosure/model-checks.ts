// Disclosure checks for platform-fitted models, after SDC practice for regression output (ACRO; the Eurostat and
// UK SDC handbooks): enough contributors — at least the grade's cell threshold and ten per coefficient; enough residual
// degrees of freedom (a model with few more observations than parameters, or a saturated one, nearly reproduces
// them); no small outcome class; no feature whose values other than its most common one belong to fewer people than
// the threshold — a 0/1 dummy with a small category, or a value non-zero for a few (its coefficient is essentially
// those people's mean); and a fit that converged without separation or exploding standard errors
// (either means some people's outcomes are predicted exactly). What passes is released with coefficients and
// standard errors to a few significant digits and counts rounded like the tables' counts.

import type { FittedModel, LinearFit, LogisticFit } from '../reduce/index.ts';
import { roundTo } from './round.ts';

export type ModelFit = LinearFit | LogisticFit;

export type ModelProblem =
  | 'too_few_contributors'
  | 'too_few_per_coefficient'
  | 'too_few_residual_df'
  | 'small_outcome_class'
  | 'small_dummy_category'
  | 'not_converged'
  | 'separation'
  | 'unstable_estimates'
  | 'differencing';

/** Contributors needed per coefficient (a common floor for stable, non-disclosive regression output). */
export const CONTRIBUTORS_PER_COEFFICIENT = 10;
/** Coefficients, standard errors and fit statistics are released to this many significant digits. */
export const MODEL_SIGNIFICANT_DIGITS = 4;
/**
 * A logistic standard error times its term's standard deviation above this (log-odds per SD) is not an estimate but
 * the sign of (quasi-)separation: R reports such fits with standard errors in the hundreds or thousands.
 */
export const MAX_SCALED_LOGISTIC_SE = 10;

/** What the checks read beyond the fit: from reduce's fitModel, all optional for fits made elsewhere. */
export type ModelEvidence = Partial<Pick<FittedModel, 'offMode' | 'scales'>>;

/** Problems that withhold a fit, given the minimum cell count; empty when it may be released. `smallDummies` names the terms. */
export function modelFindings(fit: ModelFit, minCellCount: number, evidence: ModelEvidence = {}): { problems: ModelProblem[]; smallDummies: string[] } {
  const out: ModelProblem[] = [];
  const p = fit.terms.length;
  if (fit.contributors < minCellCount) out.push('too_few_contributors');
  if (fit.contributors < CONTRIBUTORS_PER_COEFFICIENT * p) out.push('too_few_per_coefficient');
  if (fit.residualDf < minCellCount) out.push('too_few_residual_df');
  if (fit.model === 'logistic' && Math.min(...fit.classContributors) < minCellCount) out.push('small_outcome_class');
  const smallDummies = (evidence.offMode ?? []).flatMap((off, j) => (off !== null && off < minCellCount ? [fit.terms[j]!] : []));
  if (smallDummies.length) out.push('small_dummy_category');
  if (fit.model === 'logistic') {
    if (!fit.converged) out.push('not_converged');
    if (fit.separation) out.push('separation');
  }
  const scales = evidence.scales;
  const unstable = fit.coefficients.some((b, j) => {
    const se = fit.standardErrors[j]!;
    if (!Number.isFinite(b) || !Number.isFinite(se)) return true;
    return fit.model === 'logistic' && scales !== undefined && se * (scales[j] ?? 1) > MAX_SCALED_LOGISTIC_SE;
  });
  if (unstable) out.push('unstable_estimates');
  return { problems: out, smallDummies };
}

/** Problems that withhold a fit, given the minimum cell count; empty when it may be released. */
export function modelProblems(fit: ModelFit, minCellCount: number, evidence: ModelEvidence = {}): ModelProblem[] {
  return modelFindings(fit, minCellCount, evidence).problems;
}

const significant = (x: number, digits: number) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/** What leaves of a fit that passed: counts rounded to the rules' base, every real number to a few significant digits. */
export function releasedFit(fit: ModelFit, roundingBase: number, digits = MODEL_SIGNIFICANT_DIGITS) {
  const count = (n: number) => (roundingBase > 1 ? roundTo(n, roundingBase) : n);
  const real = (x: number) => significant(x, digits);
  const common = {
    terms: [...fit.terms],
    coefficients: fit.coefficients.map(real),
    standardErrors: fit.standardErrors.map(real),
    n: count(fit.n),
    contributors: count(fit.contributors),
    residualDf: count(fit.residualDf),
    dropped: count(fit.dropped),
    roundedTo: roundingBase,
    significantDigits: digits,
  };
  return fit.model === 'linear'
    ? { model: 'linear' as const, ...common, sigma: real(fit.sigma), rSquared: real(fit.rSquared) }
    : {
        model: 'logistic' as const,
        ...common,
        classContributors: [count(fit.classContributors[0]), count(fit.classContributors[1])] as const,
        deviance: real(fit.deviance),
        nullDeviance: real(fit.nullDeviance),
        converged: fit.converged,
        iterations: fit.iterations,
        separation: fit.separation,
      };
}

export type ReleasedFit = ReturnType<typeof releasedFit>;
