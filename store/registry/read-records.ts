// Turns an uploaded CSV or NDJSON byte stream into records keyed by field name, each with its line number.
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';

export const LOAD_FORMATS = ['csv', 'ndjson'] as const;
export type LoadFormat = (typeof LOAD_FORMATS)[number];

export type IncomingRecord =
  | { line: number; values: Record<string, unknown>; fromCsv: boolean }
  | { line: number; error: string; fatal?: boolean };

async function* readCsv(source: Readable): AsyncGenerator<IncomingRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  pipeline(source, parser, () => {});
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        yield { line: info.lines, values: { __header: header }, fromCsv: true };
        continue;
      }
      if (record.length !== header.length) {
        yield { line: info.lines, error: `expected ${header.length} columns, found ${record.length}` };
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) values[header[i]!] = record[i];
      yield { line: info.lines, values, fromCsv: true };
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // csv-parse stops at malformed quoting; report where, without echoing the text
    const line = (err as { lines?: number }).lines ?? 0;
    yield { line, error: 'malformed CSV (unbalanced quotes or bad delimiter)', fatal: true };
  }
}

/** Splits a byte stream into lines; iterating a stream (unlike readline) rejects when the stream fails. */
async function* splitLines(source: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of source) {
    const text = rest + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    yield* lines;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

async function* readNdjson(source: Readable): AsyncGenerator<IncomingRecord> {
  let line = 0;
  for await (const raw of splitLines(source)) {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, error: 'not valid JSON' };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: 'expected a JSON object' };
      continue;
    }
    yield { line, values: value as Record<string, unknown>, fromCsv: false };
  }
}

/** The first CSV record carries `__header`; NDJSON has none. */
export function readRecords(format: LoadFormat, source: Readable): AsyncGenerator<IncomingRecord> {
  return format === 'csv' ? readCsv(source) : readNdjson(source);
}
