// A table's chosen columns, streamed out as typed batches (binary COPY, binary-copy.ts) with memory bounded by the
// batch, whatever the table's size. PostgreSQL sends the whole table in one COPY … TO STDOUT (the server works while
// we decode); a single-session database (PGlite, in this process or behind the embedded host) is read in short
// page-range COPYs, so that no statement holds its one backend for long and other requests keep being served.
import type { Readable } from 'node:stream';
import type { Database } from '../database.ts';
import { pgliteClientOf } from '../open-pglite.ts';
import { postgresClientOf } from '../open-postgres.ts';
import { BinaryCopyDecoder, type ColumnBatch, type CopyColumnKind } from './binary-copy.ts';

export interface ColumnSpec {
  /** a select-list expression of the wanted type, built from quoted identifiers only (never user text) */
  readonly expression: string;
  readonly kind: CopyColumnKind;
}

export interface ColumnReadOptions {
  /** schema-qualified, quoted table name */
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** rows per batch handed out; default 65,536 */
  readonly batchRows?: number;
  /** heap pages per statement on a single-session database; default 512 (4 MiB of table) */
  readonly pagesPerStatement?: number;
}

export interface ColumnReader extends AsyncIterable<ColumnBatch> {
  /** a text column's dictionary so far: every code in batches already handed out is an index into it */
  dictionary(column: number): readonly string[];
}

/**
 * Every row of the table once, in batches. Row order is physical but not guaranteed (PostgreSQL may start a
 * large sequential scan mid-table to share it): ask for `ctid` with kind `tid` for a stable row identity.
 * Breaking out of the iteration early cancels the COPY.
 */
export function readColumns(database: Database, options: ColumnReadOptions): ColumnReader {
  const decoder = new BinaryCopyDecoder(
    options.columns.map((c) => c.kind),
    options.batchRows,
  );
  const list = options.columns.map((c) => c.expression).join(', ');
  const source = database.singleSession ? pageRanges(database, options.table, list, options.pagesPerStatement ?? 512) : wholeTable(database, options.table, list);
  return {
    dictionary(column) {
      const interner = decoder.interners[column];
      if (!interner) throw new TypeError('not a text column');
      return interner.strings;
    },
    async *[Symbol.asyncIterator]() {
      for await (const stream of source) {
        decoder.beginStream();
        for await (const chunk of stream) yield* decoder.push(chunk);
        const last = decoder.end();
        if (last) yield last;
      }
    },
  };
}

/** One COPY of the whole table (PostgreSQL): the server streams while we decode, with back-pressure. */
async function* wholeTable(database: Database, table: string, list: string): AsyncGenerator<AsyncIterable<Uint8Array>> {
  yield copyOut(database, `copy (select ${list} from ${table}) to stdout with (format binary)`);
}

/**
 * A COPY … TO STDOUT through postgres.js, on a connection of its own (postgres.js would otherwise pipeline other
 * queries behind it). Stopping early reads the rest, so the connection is reusable: cancelling instead leaves
 * postgres.js's socket paused for good when the server's error meets a stream nobody reads.
 */
async function* copyOut(database: Database, statement: string): AsyncGenerator<Uint8Array> {
  const connection = await postgresClientOf(database).reserve();
  const query = connection.unsafe(statement);
  let readable: Readable | undefined;
  try {
    readable = (await query.readable()) as unknown as Readable;
    for await (const chunk of readable.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
  } finally {
    if (readable) {
      if (!readable.readableEnded) await drain(readable).catch(() => {});
      await query.catch(() => {});
      resumeSocket(readable);
    }
    connection.release();
  }
}

/**
 * postgres.js pauses its socket when a COPY stream's buffer is full and resumes it from the stream's read(); when the
 * pause falls on the last chunk, the stream ends first, read() is never called again, and the connection hangs on
 * its next query. Calling read() once more resumes it (a no-op when it was not paused).
 */
function resumeSocket(readable: Readable): void {
  (readable as unknown as { _read?: () => void })._read?.();
}

async function drain(readable: Readable): Promise<void> {
  for await (const _ of readable.iterator({ destroyOnReturn: false }));
}

async function relationPages(database: Database, table: string): Promise<number> {
  const [row] = await database.sql.query<{ pages: number }>(`select (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::int as pages`, [table]);
  return row?.pages ?? 0;
}

/** Short COPYs of page ranges (TID range scans): each statement costs its own range, and nothing is held between them. */
async function* pageRanges(database: Database, table: string, list: string, step: number): AsyncGenerator<AsyncIterable<Uint8Array>> {
  const pages = await relationPages(database, table);
  for (let page = 0; page < pages; page += step) {
    const range = `ctid >= '(${page},0)'::tid and ctid < '(${page + step},0)'::tid`;
    const statement = `copy (select ${list} from ${table} where ${range}) to`;
    if (database.kind === 'pglite') {
      const result = await pgliteClientOf(database).query(`${statement} '/dev/blob' with (format binary)`);
      const bytes = result.blob ? new Uint8Array(await result.blob.arrayBuffer()) : new Uint8Array(0);
      yield (async function* () {
        if (bytes.length > 0) yield bytes;
      })();
    } else {
      yield copyOut(database, `${statement} stdout with (format binary)`);
    }
  }
}
