// The schema of a dataset policy file (policies/datasets/<code>.json). Wire format: stewards edit these files.

import { z } from 'zod';
import type { Grade, Sensitivity } from '../store/index.ts';
import { GRADE_LABELS } from './grades.ts';
import { hierarchySpecSchema } from './hierarchies.ts';
import { maskRuleSchema } from './mask-rules.ts';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

// Mirrors of the registry's closed lists (policies may not import store at run time); the `satisfies` lines make the
// compiler catch a drift.
const PI_FLAGS = ['none', 'personal', 'sensitive_personal'] as const satisfies readonly Sensitivity[];
const DATASET_GRADES = ['general', 'important', 'core'] as const satisfies readonly Grade[];

export const fieldPolicySchema = z.strictObject({
  grade: z.enum(GRADE_LABELS),
  /** the PI flag; must equal the registry's `sensitivity` */
  pi: z.enum(PI_FLAGS),
  /** rule for sandbox jobs; omitted = the grade's default */
  sandbox: maskRuleSchema.optional(),
  /** rule for open downloads; omitted = the grade's default */
  open_download: maskRuleSchema.optional(),
});

export const quasiIdentifierSchema = z.strictObject({
  field: z.string().regex(NAME),
  hierarchy: hierarchySpecSchema,
  /** coarsest level the release check may use (a level name of the hierarchy); default: up to `*` */
  maxLevel: z.string().min(1).optional(),
});

export const policyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  dataset: z.string().regex(NAME),
  grade: z.enum(DATASET_GRADES),
  /** rows describe natural persons: a row-level release needs the k-anonymity check */
  personLevel: z.boolean(),
  release: z
    .strictObject({
      quasiIdentifiers: z.array(quasiIdentifierSchema).max(8),
      /** share of rows the release check may suppress, at most 20% */
      maxSuppressionRate: z.number().min(0).max(0.2).default(0.05),
    })
    .optional(),
  fields: z.record(z.string().regex(NAME), fieldPolicySchema).refine((f) => Object.keys(f).length > 0, 'a policy needs fields'),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type FieldPolicyFile = z.infer<typeof fieldPolicySchema>;
