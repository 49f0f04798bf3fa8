// Table writers shared by open-data downloads and priority-list exports: CSV (with BOM), NDJSON, JSON and XLSX,
// each streaming rows in batches to bytes.
import { csvStream, type CsvOptions } from './csv.ts';
import { jsonStream, ndjsonStream } from './json.ts';
import type { OutputColumn, OutputFormat, RowBatches } from './types.ts';
import { xlsxStream, type XlsxOptions } from './xlsx.ts';

export { csvField, csvStream, UTF8_BOM } from './csv.ts';
export type { CsvOptions } from './csv.ts';
export { jsonStream, ndjsonStream } from './json.ts';
export { XLSX_MAX_ROWS, xlsxStream } from './xlsx.ts';
export type { XlsxOptions } from './xlsx.ts';
export { OUTPUT_EXTENSIONS, OUTPUT_FORMATS, OUTPUT_MEDIA_TYPES } from './types.ts';
export type { OutputColumn, OutputFormat, OutputRow, RowBatches } from './types.ts';

/** The table in `format`. Throws TypeError for a format outside OUTPUT_FORMATS (validate at the edge). */
export function writeRows(
  format: OutputFormat,
  columns: readonly OutputColumn[],
  batches: RowBatches,
  options: CsvOptions & XlsxOptions = {},
): AsyncGenerator<Uint8Array> {
  switch (format) {
    case 'csv':
      return csvStream(columns, batches, options);
    case 'ndjson':
      return ndjsonStream(columns, batches);
    case 'json':
      return jsonStream(columns, batches);
    case 'xlsx':
      return xlsxStream(columns, batches, options);
    default:
      throw new TypeError('unknown output format');
  }
}

/** Collects a stream into one buffer: for small tables (priority lists) and tests. */
export async function collectBytes(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const p of stream) {
    parts.push(p);
    size += p.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
