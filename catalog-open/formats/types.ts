// What every download writer takes: named (optionally typed) columns and rows as arrays in column order, in batches.
import type { FieldType, FieldValue } from '../../store/index.ts';

/**
 * One output column. `type` decides how XLSX stores a cell: numbers, booleans, dates and timestamps as Excel values
 * with a format, `url` (and any http(s) URL in a text cell) as a hyperlink; text when absent.
 */
export interface OutputColumn {
  readonly name: string;
  readonly type?: FieldType | 'url' | undefined;
}

/** One row: values in column order. */
export type OutputRow = readonly FieldValue[];

/** Rows in batches, as a database cursor yields them; a plain array of batches works for small tables. */
export type RowBatches = AsyncIterable<readonly OutputRow[]> | Iterable<readonly OutputRow[]>;

/** The file formats a table can be written as. Wire format: `?format=` values clients rely on. */
export const OUTPUT_FORMATS = ['csv', 'ndjson', 'json', 'xlsx'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const OUTPUT_MEDIA_TYPES: Readonly<Record<OutputFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const OUTPUT_EXTENSIONS: Readonly<Record<OutputFormat, string>> = { csv: 'csv', ndjson: 'ndjson', json: 'json', xlsx: 'xlsx' };
