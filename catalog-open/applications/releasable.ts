// Which requested fields the masking policy lets out for a use: a field whose rule drops it is never granted.
import type { PolicySet } from '../../policies/index.ts';
import type { DatasetRecord } from '../../store/index.ts';
import type { ApplicationAccess } from '../schema.ts';

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Problems with `fields` for `access`: unknown to the dataset, listed twice, or dropped by the dataset's policy
 * for that use (open_download for a download, sandbox for a licence). A dataset without a policy releases nothing.
 */
export function fieldProblems(policies: PolicySet, dataset: DatasetRecord, fields: readonly string[], access: ApplicationAccess): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = new Set(dataset.fields.map((f) => f.name));
  const policy = policies.datasets.get(dataset.code);
  const use = access === 'download' ? 'open_download' : 'sandbox';
  if (new Set(fields).size !== fields.length) problems.push({ path: 'fields', message: 'a field is listed twice' });
  for (const [i, name] of fields.entries()) {
    if (!known.has(name)) {
      problems.push({ path: `fields.${i}`, message: `the dataset has no field "${name}"` });
      continue;
    }
    const rule = policy?.fields.get(name)?.uses[use].rule;
    if (!rule || rule.mask === 'drop') {
      problems.push({ path: `fields.${i}`, message: `the field "${name}" is not released for ${access === 'download' ? 'download' : 'sandbox use'} by the dataset's policy` });
    }
  }
  return problems;
}
