// Turns an uploaded CSV or NDJSON byte stream into records, each with its line number, in batches.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';
import { CsvRecords, CsvSyntaxError } from './csv-records.ts';

export const LOAD_FORMATS = ['csv', 'ndjson'] as const;
export type LoadFormat = (typeof LOAD_FORMATS)[number];

export type IncomingRecord =
  /** the CSV header line, names trimmed */
  | { line: number; header: string[] }
  /** a CSV row with as many cells as the header has names; `plain` is its text when that has no quotes or line breaks */
  | { line: number; cells: string[]; plain: string | undefined }
  /** an NDJSON object */
  | { line: number; values: Record<string, unknown> }
  | { line: number; error: string; fatal?: boolean };

/** Reads the start of the upload as csv-parse's `bom` option did: a UTF-8 or UTF-16LE byte order mark. */
function startDecoding(head: Buffer): { decoder: TextDecoder; text: string } {
  // ignoreBOM: the mark is dropped here, once, and only at the start
  const utf16 = head.length >= 3 && head[0] === 0xff && head[1] === 0xfe;
  const decoder = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8', { ignoreBOM: true });
  const utf8Bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const skip = utf16 ? 2 : utf8Bom ? 3 : 0;
  return { decoder, text: decoder.decode(head.subarray(skip), { stream: true }) };
}

async function* readCsv(source: Readable): AsyncGenerator<IncomingRecord[]> {
  const parser = new CsvRecords();
  let width = -1;
  let batch: IncomingRecord[] = [];
  /** Moves the complete records into `batch`; false after malformed quoting, which ends the read. */
  const drain = (): boolean => {
    try {
      for (let cells = parser.next(); cells !== undefined; cells = parser.next()) {
        const line = parser.line;
        if (width < 0) {
          const header = cells.map((h) => h.trim());
          width = header.length;
          batch.push({ line, header });
        } else if (cells.length !== width) {
          batch.push({ line, error: `expected ${width} columns, found ${cells.length}` });
        } else {
          batch.push({ line, cells, plain: parser.plain });
        }
      }
      return true;
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      // report where, without echoing the text
      batch.push({ line: err.line, error: 'malformed CSV (unbalanced quotes or bad delimiter)', fatal: true });
      return false;
    }
  };

  let decoder: TextDecoder | undefined;
  let head = Buffer.alloc(0);
  // iterating the stream (unlike piping it) rejects when the upload fails
  for await (const chunk of source) {
    let text: string;
    if (decoder) text = decoder.decode(chunk as Buffer, { stream: true });
    else {
      head = Buffer.concat([head, chunk as Buffer]);
      if (head.length < 3) continue;
      ({ decoder, text } = startDecoding(head));
    }
    parser.push(text);
    const more = drain();
    if (batch.length > 0) yield batch;
    batch = [];
    if (!more) return;
  }
  let tail = '';
  if (!decoder) {
    // an upload under three bytes is never taken for a byte order mark
    decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    tail = decoder.decode(head, { stream: true });
  }
  parser.push(tail + decoder.decode());
  parser.end();
  drain();
  if (batch.length > 0) yield batch;
}

async function* readNdjson(source: Readable): AsyncGenerator<IncomingRecord[]> {
  const decoder = new StringDecoder('utf8');
  let line = 0;
  let rest = '';
  const parseLine = (raw: string): IncomingRecord | undefined => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { line, error: 'not valid JSON' };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { line, error: 'expected a JSON object' };
    return { line, values: value as Record<string, unknown> };
  };
  for await (const chunk of source) {
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = lines.pop() ?? '';
    const batch: IncomingRecord[] = [];
    for (const raw of lines) {
      const record = parseLine(raw);
      if (record) batch.push(record);
    }
    if (batch.length > 0) yield batch;
  }
  rest += decoder.end();
  const last = rest ? parseLine(rest) : undefined;
  if (last) yield [last];
}

/** Batches of records, one per chunk of the upload. The first CSV record is the header; NDJSON has none. */
export function readRecords(format: LoadFormat, source: Readable): AsyncGenerator<IncomingRecord[]> {
  return format === 'csv' ? readCsv(source) : readNdjson(source);
}
