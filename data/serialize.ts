// Rows to CSV (RFC 4180) or NDJSON text, and a streaming writer that honours backpressure.

import type { Writable } from 'node:stream';
import type { DatasetDefinition, FieldValue, Row } from '../store/index.ts';

export const OUTPUT_FORMATS = ['ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** RFC 4180 records end in CRLF. */
const CRLF = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field. null becomes an empty field and the empty string a quoted `""`, so a reader can tell them apart;
 * fields holding a comma, quote or line break are quoted with inner quotes doubled.
 */
export function csvField(value: FieldValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Header record: the field names in definition order, CRLF-terminated. */
export function csvHeader(definition: DatasetDefinition): string {
  return definition.fields.map((f) => csvField(f.name)).join(',') + CRLF;
}

/** One CSV record in definition order (a field missing from the row is written as null), CRLF-terminated. */
export function csvLine(row: Row, definition: DatasetDefinition): string {
  const fields = definition.fields;
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvField(row[(fields[i] as { name: string }).name] ?? null);
  }
  return line + CRLF;
}

/** One NDJSON line. Generators build rows with keys in definition order, so no reordering is done here. */
export function ndjsonLine(row: Row): string {
  return `${JSON.stringify(row)}\n`;
}

export interface WriteRowsOptions {
  format: OutputFormat;
  definition: DatasetDefinition;
  /** called after each chunk is handed to the stream, with the number of rows written so far */
  onProgress?: (rowsWritten: number) => void;
  /** characters to gather before each write; bigger chunks mean fewer syscalls */
  chunkSize?: number;
}

/** Resolves on 'drain'; rejects if the stream errors or closes first (a closed pipe must not hang the writer). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(Object.assign(new Error('output stream closed'), { code: 'EPIPE' }));
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Streams rows to `out` (CSV with a header line, or NDJSON), pulling the next row only when the stream has room,
 * so memory stays flat however many rows there are. Returns the number of rows written; rejects with the stream's
 * error (e.g. EPIPE when a reader such as `head` goes away). Does not end `out`.
 */
export async function writeRows(rows: Iterable<Row>, out: Writable, options: WriteRowsOptions): Promise<number> {
  const { format, definition, onProgress } = options;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  let failure: Error | undefined;
  // Errors can arrive between writes (EPIPE is reported asynchronously); remember them and stop at the next chunk.
  const onError = (err: Error) => {
    failure ??= err;
  };
  out.on('error', onError);
  let written = 0;
  let flushes = 0;
  let chunk = format === 'csv' ? csvHeader(definition) : '';
  const flush = async () => {
    if (failure) throw failure;
    if (out.destroyed) throw Object.assign(new Error('output stream closed'), { code: 'EPIPE' });
    const ok = out.write(chunk);
    chunk = '';
    onProgress?.(written);
    if (!ok) await drained(out);
    // A sink that never pushes back (a file, /dev/null) would otherwise keep this loop on the microtask queue
    // and starve the event loop: let pending events (errors, signals) through every few megabytes.
    else if (++flushes % 32 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (failure) throw failure;
  };
  try {
    for (const row of rows) {
      chunk += format === 'csv' ? csvLine(row, definition) : ndjsonLine(row);
      written++;
      if (chunk.length >= chunkSize) await flush();
    }
    if (chunk.length > 0) await flush();
    else onProgress?.(written);
    return written;
  } finally {
    out.off('error', onError);
  }
}

/**
 * Serialized text of `rows` in chunks of about `chunkSize` characters (CSV starts with its header), for
 * `Readable.from` or any pull-based consumer: nothing is produced before it is asked for.
 */
export function* serializeChunks(
  rows: Iterable<Row>,
  format: OutputFormat,
  definition: DatasetDefinition,
  chunkSize = 64 * 1024,
): Generator<string, void, undefined> {
  let chunk = format === 'csv' ? csvHeader(definition) : '';
  for (const row of rows) {
    chunk += format === 'csv' ? csvLine(row, definition) : ndjsonLine(row);
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
