// What a job will spend and how its outputs will be released, decided at submission from public facts only (the
// request, the licence, the dataset's rules): nothing here reads data, so nothing here can tell an operator about it.
// A job that would fail for a reason knowable in advance is refused now, with the reason, and costs nothing.
import { AppError } from '../../errors/index.ts';
import type { DisclosureRules } from '../../policies/index.ts';
import { rhoFromEpsilon } from '../dp/index.ts';
import { DEFAULT_SIZE_LIMITS } from '../disclosure/index.ts';
import { binLabels } from '../reduce/index.ts';
import { isModelSpec, type ModelOutputSpec, type OutputSpec } from './schemas.ts';
import type { JobPrivacy } from './schema.ts';

export type PrivacyPlan =
  | { readonly mode: 'dp'; readonly epsilon: number; readonly rho: number; readonly maxRows: number }
  | { readonly mode: 'none'; readonly justification: string; readonly maxRows: number };

/**
 * The job's privacy: DP at the asked ε (default: the rules' ε per job), or none (two stewards review). Throws
 * BUDGET_EXHAUSTED when ε exceeds what one job may spend, VALIDATION_FAILED for a contribution cap over the rules'.
 */
export function planPrivacy(privacy: JobPrivacy | undefined, contribution: { maxRows: number } | undefined, rules: DisclosureRules, licenceEpsilon: number): PrivacyPlan {
  const maxRows = contribution?.maxRows ?? 1;
  if (maxRows > rules.maxRowsPerContributor) {
    throw new AppError('VALIDATION_FAILED', 'contribution.maxRows exceeds what the dataset allows', { details: { maxRowsPerContributor: rules.maxRowsPerContributor } });
  }
  if (privacy && 'none' in privacy) return { mode: 'none', justification: privacy.justification, maxRows };
  const cap = Math.min(rules.epsilonPerJob, licenceEpsilon);
  const epsilon = privacy?.epsilon ?? cap;
  if (epsilon > cap) throw new AppError('BUDGET_EXHAUSTED', 'ε exceeds what one job may spend', { details: { epsilonPerJob: cap } });
  return { mode: 'dp', epsilon, rho: rhoFromEpsilon(epsilon), maxRows };
}

/** One reason an output cannot be released as asked, by output name (no data involved). */
export interface OutputProblem {
  readonly output: string;
  readonly problem: string;
}

/**
 * What the outputs need before any data is read: kinds the rules allow; under DP, bounds for every measure (sums,
 * means, variances, quantiles, min, max) and for every feature of a model (and a linear model's label), features
 * named explicitly; declared domains within the size gate. Throws VALIDATION_FAILED listing every problem, or
 * FORBIDDEN for an aggregate kind the dataset's rules do not allow.
 */
export function checkOutputs(outputs: readonly OutputSpec[], plan: PrivacyPlan, rules: DisclosureRules): void {
  const notAllowed = outputs.filter((o) => (isModelSpec(o) ? !rules.aggregates.includes('model_fit') : !rules.aggregates.includes(o.kind))).map((o) => o.name);
  if (notAllowed.length > 0) throw new AppError('FORBIDDEN', 'the dataset does not allow these aggregates', { details: { outputs: notAllowed, allowed: rules.aggregates } });
  const problems: OutputProblem[] = [];
  for (const o of outputs) {
    if (isModelSpec(o)) {
      if (plan.mode === 'dp') problems.push(...modelProblems(o));
      continue;
    }
    if (plan.mode === 'dp' && o.kind !== 'count' && !o.bounds) problems.push({ output: o.name, problem: 'a DP release of a measure needs declared bounds { lo, hi }' });
    if (o.domain) {
      const dims = o.by.map((d) => (typeof d === 'string' ? d : d.bins));
      const unknown = Object.keys(o.domain).filter((k) => !dims.includes(k));
      if (unknown.length) problems.push({ output: o.name, problem: `a domain names dimensions the output is not by: ${unknown.join(', ')}` });
      if (!domainOf(o)) problems.push({ output: o.name, problem: 'declare a domain for every dimension the output is by, or for none (labels are then selected under DP)' });
      const cells = domainOf(o)?.reduce((n, d) => n * d.length, 1) ?? 0;
      if (cells > DEFAULT_SIZE_LIMITS.maxCells) problems.push({ output: o.name, problem: `the declared domain has more cells than the size gate allows (${DEFAULT_SIZE_LIMITS.maxCells})` });
    }
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'outputs cannot be released as asked', { details: { problems } });
}

function modelProblems(o: ModelOutputSpec): OutputProblem[] {
  const out: OutputProblem[] = [];
  if (!o.features) return [{ output: o.name, problem: 'a DP model names its features (each needs declared bounds)' }];
  const missing = o.features.filter((f) => !o.bounds?.features[f]);
  if (missing.length) out.push({ output: o.name, problem: `declare bounds for the features ${missing.join(', ')}` });
  if (o.kind === 'linear' && !o.bounds?.label) out.push({ output: o.name, problem: 'a DP linear model needs the label\'s bounds' });
  return out;
}

/**
 * The labels of every dimension when all are known in advance (declared by the job, or the bins of a binned
 * measure); null when any dimension's labels come from the data (then they pass DP partition selection).
 */
export function domainOf(spec: Extract<OutputSpec, { by: unknown }>): string[][] | null {
  const out: string[][] = [];
  for (const d of spec.by) {
    if (typeof d !== 'string') out.push(binLabels(d.edges));
    else if (spec.domain?.[d]) out.push([...new Set(spec.domain[d])]);
    else return null;
  }
  return out;
}
