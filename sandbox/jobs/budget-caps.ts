// The ε caps of a job: the disclosure rules of its fields, and never more than the licence grants.
import type { DisclosureRules } from '../../policies/index.ts';
import type { BudgetCaps } from '../disclosure/index.ts';

export function licenceCaps(licenceEpsilon: number, rules: DisclosureRules): BudgetCaps {
  return { perJob: Math.min(rules.epsilonPerJob, licenceEpsilon), perLicence: Math.min(rules.epsilonPerLicence, licenceEpsilon) };
}
