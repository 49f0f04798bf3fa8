// The types an operator's model module is written against. Operators rely on this file: extend, never break.
//
// A model is an ES module with no imports that exports a `map` function. The platform calls it once per job with the
// licensed, masked columns and returns what it emits to trusted platform code, which does every reduction (counts,
// sums, means, quantiles, model fits) itself. See docs/operator-models.md.

/** A numeric column, one element per row. Float64Array uses NaN for a missing value; Int32Array has none missing. */
export type NumericColumn = Float64Array | Int32Array;

/**
 * A string column, dictionary-encoded: row i holds `dictionary[codes[i]]`, or is missing when `codes[i]` is -1.
 * Equal strings share one code, so grouping by a string column is grouping by its codes.
 */
export interface StringColumn {
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/** One input column. Dates and masked dates arrive as strings ("1985-03", "2019-07-01"); booleans as Int32Array 0/1. */
export type Column = NumericColumn | StringColumn;

/** The licensed fields of the job, by field name; every column has `info.rowCount` rows. */
export interface Columns {
  readonly [field: string]: Column;
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The job's parameters as the operator submitted them (a JSON object; `{}` when none were given). */
export interface Params {
  readonly [key: string]: JsonValue;
}

export interface JobInfo {
  /** rows in every input column */
  readonly rowCount: number;
  /** the job's as-of time in ms since 1970 (midnight UTC of the submission day); `Date.now()` returns the same */
  readonly asOf: number;
}

/**
 * A per-row group key. Missing (null, undefined, code -1) rows are left out of that key's groups.
 * - `string[]`: one string per row; the platform dictionary-encodes it.
 * - `StringColumn`: codes into a dictionary, e.g. an input string column passed through unchanged (fastest).
 * - `Int32Array`: integer keys such as a year.
 */
export type KeyColumn = ReadonlyArray<string | null | undefined> | StringColumn | Int32Array;

/** Per-row numbers. NaN, null and undefined mean missing; ±Infinity is refused. */
export type MeasureColumn = Float64Array | Int32Array | ReadonlyArray<number | null | undefined>;

/**
 * What `map` returns. Every column is aligned with the rows it describes: with `rows` absent, with the input rows
 * (length `info.rowCount`); with `rows` present, element j describes input row `rows[j]`.
 * At least one key, measure or feature is required. Names match /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.
 */
export interface MapResult {
  /** a filter: the input row indices that the other columns describe, strictly increasing */
  rows?: Int32Array | readonly number[];
  /** group keys: the platform groups rows by every combination of keys */
  keys?: { readonly [name: string]: KeyColumn };
  /** values the platform reduces per group (count, sum, mean, quantiles as the job asks) */
  measures?: { readonly [name: string]: MeasureColumn };
  /** explanatory variables for a model the platform fits (e.g. logistic regression) */
  features?: { readonly [name: string]: MeasureColumn };
  /** the response variable for that model */
  label?: MeasureColumn;
}

/** The one export the platform calls. It must return synchronously; it cannot see anything but its arguments. */
export type MapFunction = (columns: Columns, params: Params, info: JobInfo) => MapResult;
