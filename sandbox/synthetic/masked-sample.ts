// A masked synthetic sample: synthetic raw rows put through the very masking a job's columns go through
// (maskerFor, use `sandbox`), so a sample and a dry run look exactly like what a real job sees — without a real value.
import { maskerFor, type MaskedField, type PolicySet } from '../../policies/index.ts';
import type { DatasetDefinition, FieldValue, Row } from '../../store/index.ts';
import { syntheticRawColumns } from './synthetic-rows.ts';

/** Largest sample the API hands out, and the size of a dry run's data. */
export const MAX_SAMPLE_ROWS = 1000;
export const DRY_RUN_ROWS = 1000;

export interface MaskedSample {
  /** the masked schema of the fields, in registry order (a dropped field is absent) */
  fields: readonly MaskedField[];
  /** masked values per field */
  columns: Record<string, FieldValue[]>;
  rowCount: number;
}

/**
 * `rows` synthetic rows of `fields` of `dataset` (a registered definition), masked for the sandbox with the given
 * pseudonym key and as-of day. Throws what maskerFor throws (no policy: DATASET_NOT_FOUND; bad policy: POLICY_INVALID).
 */
export function maskedSample(
  policies: PolicySet,
  dataset: DatasetDefinition,
  fields: readonly string[],
  options: { rows: number; seed: string; pseudonymKey: Uint8Array; asOf: string },
): MaskedSample {
  const wanted = new Set(fields);
  const defs = dataset.fields.filter((f) => wanted.has(f.name));
  const masker = maskerFor(policies, { ...dataset, fields: defs }, 'sandbox', { pseudonymKey: options.pseudonymKey, asOf: options.asOf });
  const raw = syntheticRawColumns(dataset.code, defs, options.rows, options.seed);
  return { fields: masker.fields, columns: masker.maskColumns(raw), rowCount: options.rows };
}

/** The sample as row objects (the API's form; jobs take columns). */
export function sampleRows(sample: MaskedSample): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < sample.rowCount; i++) {
    const row: Row = {};
    for (const f of sample.fields) row[f.name] = sample.columns[f.name]![i] ?? null;
    rows.push(row);
  }
  return rows;
}
