// What operator code emits, as the platform receives it: dictionary-encoded key columns and numeric columns, aligned
// with the job's input rows. All of it is untrusted; these checks make it safe to index with, never believable.

import { AppError } from '../../errors/index.ts';

/**
 * A string column, dictionary-encoded: `dictionary[codes[i]]` is row i's value; -1 = missing.
 * Storage format of the worker's hand-over from the isolate: the worker copies typed arrays out, never references.
 */
export interface KeyColumn {
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/** Bad emitted data or a bad output request: an operator's mistake, reported without any data value. */
export function invalidEmission(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('VALIDATION_FAILED', message, details === undefined ? {} : { details });
}

/**
 * Checks a key column against the row count and makes it canonical: every code in [-1, dictionary.length), and
 * equal dictionary strings merged into the first (so a job cannot split one group into two cells with the same label).
 * Returns the column itself when it is already canonical. Throws AppError VALIDATION_FAILED naming the column.
 */
export function canonicalKey(column: KeyColumn, rows: number, name: string): KeyColumn {
  const { codes, dictionary } = column;
  if (!(codes instanceof Int32Array)) throw invalidEmission('an emitted key column is not an Int32Array', { column: name });
  if (codes.length !== rows) throw invalidEmission('an emitted key column has the wrong length', { column: name });
  const size = dictionary.length;
  for (let i = 0; i < rows; i++) {
    const c = codes[i]!;
    if (c < -1 || c >= size) throw invalidEmission('an emitted key column has a code outside its dictionary', { column: name });
  }
  const first = new Map<string, number>();
  let remap: Int32Array | undefined;
  for (let c = 0; c < size; c++) {
    const label = dictionary[c];
    if (typeof label !== 'string') throw invalidEmission('an emitted dictionary holds a non-string', { column: name });
    const earlier = first.get(label);
    if (earlier === undefined) first.set(label, c);
    else {
      remap ??= Int32Array.from({ length: size }, (_, k) => k);
      remap[c] = earlier;
    }
  }
  if (!remap) return column;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? -1 : remap[c]!;
  }
  return { codes: out, dictionary };
}

/** Checks a numeric column's type and length. Throws AppError VALIDATION_FAILED naming the column. */
export function checkMeasure(values: Float64Array, rows: number, name: string): Float64Array {
  if (!(values instanceof Float64Array)) throw invalidEmission('an emitted measure is not a Float64Array', { column: name });
  if (values.length !== rows) throw invalidEmission('an emitted measure has the wrong length', { column: name });
  return values;
}
