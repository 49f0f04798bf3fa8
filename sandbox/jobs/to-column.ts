// Boxed values (a synthetic sample's masked columns) to the typed columns a model receives.
import type { FieldType, FieldValue } from '../../store/index.ts';
import type { ColumnInput } from '../execution/index.ts';

/** Numbers to Float64Array (NaN missing), booleans to Int32Array 0/1 when none is missing, the rest dictionary-encoded. */
export function toColumn(values: readonly FieldValue[], type: FieldType): ColumnInput {
  if (type === 'integer' || type === 'decimal') return Float64Array.from(values, (v) => (v === null ? NaN : Number(v)));
  if (type === 'boolean' && values.every((v) => v !== null)) return Int32Array.from(values, (v) => (v ? 1 : 0));
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) return void (codes[i] = -1);
    const s = String(v);
    let c = index.get(s);
    if (c === undefined) {
      c = dictionary.length;
      index.set(s, c);
      dictionary.push(s);
    }
    codes[i] = c;
  });
  return { codes, dictionary };
}
