// Checks the policy files against the dataset registry: every registered dataset and field has a grade, and the
// policies agree with what the registry says about grades, PI flags and field types. Run at start.

import { AppError } from '../errors/index.ts';
import type { DatasetDefinition } from '../store/index.ts';
import { POLICY_USES } from './grades.ts';
import { maskAccepts } from './mask-rules.ts';
import type { PolicySet } from './policy-set.ts';

export type PolicyProblemCode =
  | 'missing_policy'
  | 'unknown_dataset'
  | 'missing_field_grade'
  | 'unknown_field'
  | 'grade_mismatch'
  | 'sensitivity_mismatch'
  | 'mask_type_mismatch';

/** One disagreement between policies and registry. Names datasets and fields only, never data values. */
export interface PolicyProblem {
  readonly code: PolicyProblemCode;
  readonly dataset: string;
  readonly field?: string;
  readonly message: string;
}

/**
 * Every disagreement between the policy set and the registered datasets; empty when they agree.
 * A registered field without a grade is a problem, never a silent default.
 */
export function checkPoliciesAgainstRegistry(set: PolicySet, definitions: readonly DatasetDefinition[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const registered = new Set(definitions.map((d) => d.code));
  for (const code of set.datasets.keys()) {
    if (!registered.has(code)) problems.push({ code: 'unknown_dataset', dataset: code, message: 'policy for a dataset that is not registered' });
  }
  for (const def of definitions) {
    const policy = set.datasets.get(def.code);
    if (!policy) {
      problems.push({ code: 'missing_policy', dataset: def.code, message: 'registered dataset without a policy file' });
      continue;
    }
    if (policy.grade !== def.grade) {
      problems.push({ code: 'grade_mismatch', dataset: def.code, message: `policy grade ${policy.grade}, registry grade ${def.grade}` });
    }
    const names = new Set(def.fields.map((f) => f.name));
    for (const name of policy.fields.keys()) {
      if (!names.has(name)) problems.push({ code: 'unknown_field', dataset: def.code, field: name, message: 'policy for a field the registry does not have' });
    }
    for (const field of def.fields) {
      const fp = policy.fields.get(field.name);
      if (!fp) {
        problems.push({ code: 'missing_field_grade', dataset: def.code, field: field.name, message: 'registered field without a grade' });
        continue;
      }
      if (fp.pi !== field.sensitivity) {
        problems.push({
          code: 'sensitivity_mismatch',
          dataset: def.code,
          field: field.name,
          message: `policy says ${fp.pi}, registry says ${field.sensitivity}`,
        });
      }
      for (const use of POLICY_USES) {
        const rule = fp.uses[use].rule;
        if (!maskAccepts(rule, field.type)) {
          problems.push({
            code: 'mask_type_mismatch',
            dataset: def.code,
            field: field.name,
            message: `mask '${rule.mask}' for ${use} does not apply to a ${field.type} field`,
          });
        }
      }
    }
  }
  return problems;
}

/** Throws AppError POLICY_INVALID, listing the problems in `details.problems`, unless policies and registry agree. */
export function assertPoliciesMatchRegistry(set: PolicySet, definitions: readonly DatasetDefinition[]): void {
  const problems = checkPoliciesAgainstRegistry(set, definitions);
  if (problems.length > 0) {
    throw new AppError('POLICY_INVALID', `${problems.length} disagreement(s) between policies and the dataset registry`, {
      details: { problems },
    });
  }
}
