// Zod inputs of the job verbs. Wire format of POST /operator/jobs (API.md, "Operators"): add fields, never rename.
import { z } from 'zod';
import { MAX_CODE_LENGTH, MAX_PARAMS_LENGTH } from '../execution/index.ts';

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be a registered dataset code or field name');
const column = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must name an emitted column');
const bounds = z.object({ lo: z.number().finite(), hi: z.number().finite() }).refine((b) => b.lo <= b.hi, 'lo must not exceed hi');
/** labels a dimension may take, declared by the job (public): every one is shown, rows with others are left out */
const domain = z.record(column, z.array(z.string().max(256)).min(1).max(5000));

/** One output the platform reduces from what the job emitted (sandbox/reduce TableSpec, without free-form parts). */
export const tableSpecSchema = z.object({
  name: column,
  kind: z.enum(['count', 'sum', 'mean', 'variance', 'min', 'max', 'quantile']),
  by: z.array(z.union([column, z.object({ bins: column, edges: z.array(z.number()).min(1).max(100) })])).max(8),
  measure: column.optional(),
  bounds: bounds.optional(),
  domain: domain.optional(),
  prob: z.number().min(0).max(1).optional(),
  countOf: z.enum(['contributors', 'rows']).optional(),
  totals: z.boolean().optional(),
});
/**
 * A model the platform fits on the job's emitted features and label (sandbox/reduce ModelSpec), then checks before
 * release (sandbox/disclosure model checks). A job that declares one performs the licence operation `model`.
 */
export const modelSpecSchema = z.object({
  name: column,
  kind: z.enum(['linear', 'logistic']),
  /** emitted features to use, in order; default every emitted feature */
  features: z.array(column).min(1).max(64).optional(),
  intercept: z.boolean().optional(),
  /** DP models: every feature's bounds (and the label's, linear): values are clamped into them */
  bounds: z.object({ features: z.record(column, bounds), label: bounds.optional() }).optional(),
});
export type ModelOutputSpec = z.infer<typeof modelSpecSchema>;

export const outputSpecSchema = z.discriminatedUnion('kind', [tableSpecSchema, modelSpecSchema]);
export type OutputSpec = z.infer<typeof outputSpecSchema>;

/** Whether an output is a platform-fitted model (else a table). */
export function isModelSpec(spec: { kind: string }): spec is ModelOutputSpec {
  return spec.kind === 'linear' || spec.kind === 'logistic';
}

export const submitJobSchema = z.object({
  licenseId: z.string().min(1).max(100),
  datasets: z
    .array(z.object({ code: identifier, fields: z.array(identifier).min(1).max(200) }))
    .min(1)
    .max(1, 'a job reads one dataset for now'),
  code: z.string().min(1).max(MAX_CODE_LENGTH),
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((p) => JSON.stringify(p).length <= MAX_PARAMS_LENGTH, `params must be at most ${MAX_PARAMS_LENGTH} characters as JSON`),
  outputs: z.array(outputSpecSchema).max(50).default([]),
  /**
   * Differential privacy is the default: `{}` or no `privacy` spends the dataset's default ε; `{ epsilon }` spends
   * that much (at most the rules' ε per job). `{ none: true, justification }` asks for a release without DP, which
   * two stewards review (neither of them the submitter).
   */
  privacy: z.union([z.strictObject({ epsilon: z.number().positive().finite().optional() }), z.strictObject({ none: z.literal(true), justification: z.string().trim().min(10).max(2000) })]).optional(),
  /** rows one contributor may add to the release (default 1, at most the rules' cap) */
  contribution: z.strictObject({ maxRows: z.number().int().min(1).max(100) }).optional(),
  dryRun: z.boolean().default(false),
});
export type SubmitJobInput = z.input<typeof submitJobSchema>;
