// maskerFor: a dataset's masking for one use, compiled once (rules bound, tables built, pseudonym key scheduled),
// then applied to rows or to columns, together with the masked schema the output follows.

import { AppError } from '../errors/index.ts';
import type { DatasetDefinition, FieldDefinition, FieldValue, Row } from '../store/index.ts';
import { compileMask, type ValueMask } from './compile-mask.ts';
import type { PolicyUse } from './grades.ts';
import { describeMask, maskAccepts, maskedType, type MaskRule } from './mask-rules.ts';
import { createPseudonymizer } from './pseudonym.ts';
import { datasetPolicy, type PolicySet } from './policy-set.ts';

export interface MaskerOptions {
  /** the licence's pseudonym key (see derivePseudonymKey); required when a rule is `pseudonym` */
  pseudonymKey?: Uint8Array;
  /** the day ages are computed on, `YYYY-MM-DD`; required when a rule is `age_band` */
  asOf?: string;
}

/** A field of the masked schema: the registry's shape (name, type, ...), with the rule that produced it. */
export interface MaskedField extends FieldDefinition {
  readonly rule: MaskRule;
  /** what the masked value keeps, in one line */
  readonly keeps: string;
}

/** One output column: where its value comes from and the compiled mask (null in, null out). */
export interface MaskedColumn {
  readonly field: MaskedField;
  /** the input field it is computed from */
  readonly source: string;
  readonly mask: (value: FieldValue) => FieldValue;
}

export interface RowMasker {
  readonly dataset: string;
  readonly use: PolicyUse;
  /** the output fields, in registry order; dropped fields are absent */
  readonly fields: readonly MaskedField[];
  /** the same, with their compiled masks: for serializers that write masked values without building rows */
  readonly columns: readonly MaskedColumn[];
  /** the masked schema as a dataset definition, for serializers (CSV header, column types) */
  readonly definition: DatasetDefinition;
  /** a new row with the output fields only; missing values come out as null */
  maskRow(row: Row): Row;
  /** the output columns, masked column by column (the sandbox loads data as columns) */
  maskColumns(columns: Readonly<Record<string, readonly FieldValue[]>>): Record<string, FieldValue[]>;
}

/**
 * Compiles the masking of `definition`'s dataset for `use`. Fails closed: throws AppError DATASET_NOT_FOUND when the
 * dataset has no policy and POLICY_INVALID when a registered field has none or a mask does not fit its type;
 * TypeError when `options` lack a key or day a rule needs (a caller's mistake).
 */
/** A column's mask from its rule alone (null in, null out), as maskerFor compiles it: for a thread that gets rules. */
export function columnMask(rule: MaskRule, options: MaskerOptions): (value: FieldValue) => FieldValue {
  return nullSafe(compileMask(rule, { pseudonymize: options.pseudonymKey ? createPseudonymizer(options.pseudonymKey) : undefined, asOf: options.asOf }));
}

const nullSafe = (fn: ValueMask | null): ((value: FieldValue) => FieldValue) => (fn ? (v) => (v === null ? null : fn(v)) : (v) => v);

export function maskerFor(set: PolicySet, definition: DatasetDefinition, use: PolicyUse, options: MaskerOptions = {}): RowMasker {
  const policy = datasetPolicy(set, definition.code);
  const pseudonymize = options.pseudonymKey ? createPseudonymizer(options.pseudonymKey) : undefined;
  const ctx = { pseudonymize, asOf: options.asOf };
  const fields: MaskedField[] = [];
  const sources: string[] = [];
  const fns: Array<ValueMask | null> = [];
  for (const field of definition.fields) {
    const fp = policy.fields.get(field.name);
    if (!fp) throw new AppError('POLICY_INVALID', 'a registered field has no policy', { details: { dataset: definition.code, field: field.name } });
    const rule = fp.uses[use].rule;
    if (!maskAccepts(rule, field.type)) {
      throw new AppError('POLICY_INVALID', 'a mask does not fit its field type', { details: { dataset: definition.code, field: field.name } });
    }
    const type = maskedType(rule, field.type);
    if (type === undefined) continue;
    const keeps = describeMask(rule);
    fields.push({ ...field, type, rule, keeps, description: rule.mask === 'raw' ? field.description : `${field.description} [${keeps}]` });
    sources.push(field.name);
    fns.push(compileMask(rule, ctx));
  }
  const n = fields.length;
  const names = fields.map((f) => f.name);
  const columns: MaskedColumn[] = fields.map((field, i) => {
    return { field, source: sources[i] as string, mask: nullSafe(fns[i] ?? null) };
  });

  return {
    dataset: definition.code,
    use,
    fields,
    columns,
    definition: { ...definition, fields },
    maskRow(row: Row): Row {
      const out: Row = {};
      for (let i = 0; i < n; i++) {
        const v = row[sources[i] as string];
        const fn = fns[i];
        out[names[i] as string] = v === undefined || v === null ? null : fn ? fn(v) : v;
      }
      return out;
    },
    maskColumns(columns) {
      const out: Record<string, FieldValue[]> = {};
      for (let i = 0; i < n; i++) {
        const values = columns[sources[i] as string];
        if (!values) throw new TypeError(`column ${sources[i]} is missing`);
        const fn = fns[i];
        const masked = new Array<FieldValue>(values.length);
        for (let r = 0; r < values.length; r++) {
          const v = values[r];
          masked[r] = v === undefined || v === null ? null : fn ? fn(v) : v;
        }
        out[names[i] as string] = masked;
      }
      return out;
    },
  };
}
