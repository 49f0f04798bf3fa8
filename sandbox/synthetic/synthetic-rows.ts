// Raw synthetic rows for a dataset's fields: the data/ generator where the dataset has one (realistic values and
// missing values at realistic rates, seeded), values by type for any other field. Never a real row.
import { DATASETS, isDatasetCode } from '../../data/index.ts';
import type { FieldDefinition, FieldValue } from '../../store/index.ts';
import { valuesByType } from './by-type.ts';

/** Column-wise raw values of `fields` for `rows` rows; the same (dataset, fields, rows, seed) gives the same values. */
export function syntheticRawColumns(code: string, fields: readonly FieldDefinition[], rows: number, seed: string): Record<string, FieldValue[]> {
  const out: Record<string, FieldValue[]> = {};
  const generated = isDatasetCode(code) ? generatedColumns(code, fields, rows, seed) : {};
  for (const field of fields) out[field.name] = generated[field.name] ?? valuesByType(field, rows, `${code}\u0000${seed}`);
  return out;
}

/** The generator's values of the fields it produces with the registered type (a steward may declare another). */
function generatedColumns(code: keyof typeof DATASETS, fields: readonly FieldDefinition[], rows: number, seed: string): Record<string, FieldValue[]> {
  const module = DATASETS[code];
  const known = new Map(module.definition.fields.map((f) => [f.name, f.type]));
  const wanted = fields.filter((f) => known.get(f.name) === f.type);
  if (wanted.length === 0) return {};
  const out: Record<string, FieldValue[]> = Object.fromEntries(wanted.map((f) => [f.name, []]));
  for (const row of module.generate({ rows, seed })) for (const f of wanted) out[f.name]!.push(row[f.name] ?? null);
  return out;
}
