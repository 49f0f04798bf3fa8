// Disclosure checks for platform-fitted models: enough contributors, enough residual degrees of freedom (ACRO's
// rule: a model with few more observations than parameters nearly reproduces them), no small outcome class, and a
// fit that converged without separation (a separated logistic model predicts some people's outcomes exactly).

import type { LinearFit, LogisticFit } from '../reduce/index.ts';

export type ModelFit = LinearFit | LogisticFit;

export type ModelProblem = 'too_few_contributors' | 'too_few_residual_df' | 'small_outcome_class' | 'not_converged' | 'separation';

/** Problems that withhold a fit, given the minimum cell count; empty when it may be released. */
export function modelProblems(fit: ModelFit, minCellCount: number): ModelProblem[] {
  const out: ModelProblem[] = [];
  if (fit.contributors < minCellCount) out.push('too_few_contributors');
  if (fit.residualDf < minCellCount) out.push('too_few_residual_df');
  if (fit.model === 'logistic') {
    if (Math.min(...fit.classContributors) < minCellCount) out.push('small_outcome_class');
    if (!fit.converged) out.push('not_converged');
    if (fit.separation) out.push('separation');
  }
  return out;
}
