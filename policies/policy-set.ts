// A validated set of dataset policies, and the lookups other modules use: a dataset's or a field's policy, and the
// justifications that the catalog and the audit show.

import { AppError } from '../errors/index.ts';
import type { Grade, Sensitivity } from '../store/index.ts';
import type { GradeLabel, PolicyUse } from './grades.ts';
import type { HierarchySpec } from './hierarchies.ts';
import type { MaskRule, MaskStrength } from './mask-rules.ts';

export interface UsePolicy {
  /** the rule in force: the policy's own, or the grade's default */
  readonly rule: MaskRule;
  /** false when the policy file says nothing for this use and the default applies */
  readonly declared: boolean;
  /** the default's strength for this grade and PI flag */
  readonly floor: MaskStrength;
  /** true when the rule lets more through than the default: it then carries a justification */
  readonly weakensDefault: boolean;
  readonly justification: string | undefined;
  /** ids of the default rules that apply (see DEFAULT_RULES) */
  readonly defaultRules: readonly string[];
}

export interface FieldPolicy {
  readonly dataset: string;
  readonly field: string;
  readonly grade: GradeLabel;
  readonly pi: Sensitivity;
  readonly uses: Readonly<Record<PolicyUse, UsePolicy>>;
}

export interface QuasiIdentifierPolicy {
  readonly field: string;
  readonly hierarchy: HierarchySpec;
  readonly maxLevel: string | undefined;
}

export interface DatasetPolicy {
  readonly dataset: string;
  /** the file it came from, for error messages */
  readonly source: string;
  readonly grade: Grade;
  readonly personLevel: boolean;
  /** in file order */
  readonly fields: ReadonlyMap<string, FieldPolicy>;
  readonly quasiIdentifiers: readonly QuasiIdentifierPolicy[];
  readonly maxSuppressionRate: number;
}

export interface PolicySet {
  readonly datasets: ReadonlyMap<string, DatasetPolicy>;
}

/** The policy of a dataset. Throws AppError DATASET_NOT_FOUND when there is none. */
export function datasetPolicy(set: PolicySet, dataset: string): DatasetPolicy {
  const policy = set.datasets.get(dataset);
  if (!policy) throw new AppError('DATASET_NOT_FOUND', 'no policy for this dataset', { details: { dataset } });
  return policy;
}

/**
 * The grade and rules of one field. Throws AppError DATASET_NOT_FOUND for a dataset without a policy and
 * FIELD_NOT_FOUND for a field the policy does not know.
 */
export function fieldPolicy(set: PolicySet, dataset: string, field: string): FieldPolicy {
  const policy = datasetPolicy(set, dataset).fields.get(field);
  if (!policy) throw new AppError('FIELD_NOT_FOUND', 'no such field in the dataset policy', { details: { dataset, field } });
  return policy;
}

export interface Justification {
  readonly dataset: string;
  readonly field: string;
  readonly use: PolicyUse;
  readonly rule: MaskRule;
  readonly defaultRules: readonly string[];
  readonly justification: string;
}

/** Every place a policy delivers more than the default, with its reason: for the catalog and the audit. */
export function policyJustifications(set: PolicySet): Justification[] {
  const out: Justification[] = [];
  for (const d of set.datasets.values()) {
    for (const f of d.fields.values()) {
      for (const [use, u] of Object.entries(f.uses) as Array<[PolicyUse, UsePolicy]>) {
        if (u.weakensDefault && u.justification !== undefined) {
          out.push({ dataset: d.dataset, field: f.field, use, rule: u.rule, defaultRules: u.defaultRules, justification: u.justification });
        }
      }
    }
  }
  return out;
}
