// Loads a CSV or NDJSON upload into a new version of a dataset: streamed, type-checked, all or nothing.
import { createHash } from 'node:crypto';
import { Readable, Transform, pipeline } from 'node:stream';
import { AppError } from '../../errors/index.ts';
import type { CopySink, Database, SqlClient } from '../database.ts';
import type { FieldDefinition } from './types.ts';
import { createTableStatement, physicalTableName, quoteIdentifier } from './physical-table.ts';
import { csvCellParser, parseValue, type CsvCellParser } from './parse-value.ts';
import { readRecords, type IncomingRecord, type LoadFormat } from './read-records.ts';

/** Rows are handed to COPY in pieces of about this many characters. */
const WRITE_CHUNK_CHARS = 256 * 1024;
/** Past this many bad rows the report stops growing; the load is refused either way. */
const DEFAULT_MAX_REPORTED_ERRORS = 100;
/** Versions whose tables are kept; older versions keep their metadata but lose their rows. */
const DEFAULT_VERSIONS_KEPT = 3;

export interface LoadDatasetInput {
  code: string;
  format: LoadFormat;
  body: Readable | AsyncIterable<Uint8Array>;
  loadedBy: string;
  maxReportedErrors?: number;
  versionsKept?: number;
  /** called every few thousand rows, for progress display */
  onProgress?: (rows: number, bytes: number) => void;
}

export interface LoadResult {
  code: string;
  version: number;
  rowCount: number;
  byteCount: number;
  checksum: string;
  format: LoadFormat;
}

export interface RowError {
  line: number;
  field?: string;
  reason: string;
}

interface Counter {
  bytes: number;
  hash: ReturnType<typeof createHash>;
}

/** Hashes and counts the bytes exactly as uploaded, before any parsing. */
function meter(body: Readable | AsyncIterable<Uint8Array>, counter: Counter): Readable {
  const source = body instanceof Readable ? body : Readable.from(body);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.bytes += chunk.length;
      counter.hash.update(chunk);
      done(null, chunk);
    },
  });
  // pipeline forwards errors (even one raised before anyone reads), so a broken upload fails the parse
  pipeline(source, tap, () => {});
  return tap;
}

class RowChecker {
  private header: 'none' | 'good' | 'bad' = 'none';
  readonly errors: RowError[] = [];
  errorCount = 0;
  /** COPY text of good rows not yet written */
  out = '';
  /** good rows so far */
  rows = 0;
  private readonly cellParsers: CsvCellParser[];
  /** for plain rows (no quotes, commas or line breaks in cells), where strings need no quotes */
  private readonly plainCellParsers: CsvCellParser[];
  /** for each field, the CSV column holding it, or -1 */
  private columns: number[] = [];
  /** the header names exactly the fields, in their order: a plain row of canonical cells is its own COPY line */
  private inOrder = false;
  private readonly row: string[];

  constructor(
    private readonly fields: FieldDefinition[],
    private readonly maxErrors: number,
  ) {
    this.cellParsers = fields.map((f) => csvCellParser(f));
    this.plainCellParsers = fields.map((f) => csvCellParser(f, false));
    this.row = fields.map(() => '');
  }

  private fail(error: RowError) {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push(error);
  }

  /** Appends the record to `out` as CSV for COPY when it is a good row and no row so far was bad. */
  check(record: IncomingRecord): void {
    if ('cells' in record) this.checkCells(record.line, record.cells, record.plain);
    else if ('error' in record) this.fail({ line: record.line, reason: record.error });
    else if ('header' in record) this.checkHeader(record.line, record.header);
    else this.checkValues(record.line, record.values);
  }

  private checkCells(line: number, cells: string[], plain: string | undefined) {
    // rows under a bad header cannot be read field by field; the header errors say it all
    if (this.header === 'bad') return;
    // COPY would take an unquoted line \. for the end of the data
    const bare = plain !== undefined && plain !== '\\.';
    const { columns, row } = this;
    const parsers = bare ? this.plainCellParsers : this.cellParsers;
    let ok = true;
    let same = bare && this.inOrder;
    for (let i = 0; i < parsers.length; i++) {
      const column = columns[i]!;
      const raw = column < 0 ? undefined : cells[column];
      const cell = parsers[i]!(raw);
      if (typeof cell === 'string') {
        row[i] = cell;
        if (cell !== raw) same = false;
      } else {
        ok = false;
        this.fail({ line, field: this.fields[i]!.name, reason: cell.reason });
      }
    }
    if (ok && this.errorCount === 0) {
      this.out += same ? `${plain}\n` : `${row.join(',')}\n`;
      this.rows++;
    }
  }

  private checkValues(line: number, values: Record<string, unknown>) {
    this.checkKeys(line, values);
    const cells: string[] = [];
    let ok = true;
    for (const field of this.fields) {
      const parsed = parseValue(field, values[field.name], false);
      if (parsed.ok) cells.push(parsed.cell);
      else {
        ok = false;
        this.fail({ line, field: field.name, reason: parsed.reason });
      }
    }
    if (ok && this.errorCount === 0) {
      this.out += `${cells.join(',')}\n`;
      this.rows++;
    }
  }

  private checkHeader(line: number, header: string[]) {
    const before = this.errorCount;
    const known = new Set(this.fields.map((f) => f.name));
    const seen = new Set<string>();
    for (const name of header) {
      if (!known.has(name)) this.fail({ line, field: name.slice(0, 64), reason: 'unknown column' });
      else if (seen.has(name)) this.fail({ line, field: name, reason: 'duplicate column' });
      seen.add(name);
    }
    for (const f of this.fields) {
      if (!seen.has(f.name) && !f.nullable) this.fail({ line, field: f.name, reason: 'required column missing' });
    }
    this.header = this.errorCount > before ? 'bad' : 'good';
    this.columns = this.fields.map((f) => header.indexOf(f.name));
    this.inOrder = header.length === this.fields.length && this.columns.every((column, i) => column === i);
  }

  private checkKeys(line: number, values: Record<string, unknown>) {
    for (const key of Object.keys(values)) {
      if (!this.fields.some((f) => f.name === key)) this.fail({ line, field: key.slice(0, 64), reason: 'unknown field' });
    }
  }

  sawHeader(): boolean {
    return this.header !== 'none';
  }
}

async function nextVersion(tx: SqlClient, code: string): Promise<{ fields: FieldDefinition[]; version: number }> {
  // FOR UPDATE serialises concurrent loads of one dataset, so versions never collide
  const rows = await tx.query<{ fields: FieldDefinition[] | string }>(
    'SELECT fields FROM datasets WHERE code = $1 FOR UPDATE',
    [code],
  );
  const row = rows[0];
  if (!row) throw new AppError('DATASET_NOT_FOUND', 'no dataset with this code');
  const latest = await tx.query<{ v: number }>(
    'SELECT coalesce(max(version), 0)::int AS v FROM dataset_versions WHERE dataset_code = $1',
    [code],
  );
  const fields = typeof row.fields === 'string' ? (JSON.parse(row.fields) as FieldDefinition[]) : row.fields;
  return { fields, version: (latest[0]?.v ?? 0) + 1 };
}

async function retireOldVersions(tx: SqlClient, code: string, keep: number) {
  const old = await tx.query<{ version: number; physical_table: string }>(
    `SELECT version, physical_table FROM dataset_versions
     WHERE dataset_code = $1 AND physical_table IS NOT NULL
     ORDER BY version DESC OFFSET $2`,
    [code, keep],
  );
  for (const row of old) {
    await tx.query(`DROP TABLE IF EXISTS ${physicalTableName(code, row.version)}`);
    await tx.query(
      'UPDATE dataset_versions SET physical_table = NULL, retired_at = now() WHERE dataset_code = $1 AND version = $2',
      [code, row.version],
    );
  }
}

async function copyRows(
  sink: CopySink,
  batches: AsyncIterable<IncomingRecord[]>,
  checker: RowChecker,
  onRows: (rows: number) => void,
): Promise<number> {
  try {
    for await (const batch of batches) {
      for (const record of batch) checker.check(record);
      if (checker.out.length >= WRITE_CHUNK_CHARS) {
        const text = checker.out;
        checker.out = '';
        await sink.write(text);
        onRows(checker.rows);
      }
    }
  } catch (err) {
    // an open COPY would block the rollback; end it first
    await sink.abort();
    throw err;
  }
  if (checker.out) await sink.write(checker.out);
  checker.out = '';
  await sink.end();
  return checker.rows;
}

/**
 * Throws DATASET_NOT_FOUND, and LOAD_REJECTED with `details.errors` (line numbers, field names, reasons; never
 * values) when any row is bad. Nothing is written unless every row is good.
 */
export async function loadDataset(database: Database, input: LoadDatasetInput): Promise<LoadResult> {
  const counter: Counter = { bytes: 0, hash: createHash('sha256') };
  const maxErrors = input.maxReportedErrors ?? DEFAULT_MAX_REPORTED_ERRORS;
  const source = meter(input.body, counter);

  try {
    return await database.transaction(async (tx) => {
      const { fields, version } = await nextVersion(tx, input.code);
      const table = physicalTableName(input.code, version);
      await tx.query(createTableStatement(table, fields));
      const checker = new RowChecker(fields, maxErrors);
      const sink = await tx.copyCsvInto(table, fields.map((f) => quoteIdentifier(f.name)));
      const rowCount = await copyRows(sink, readRecords(input.format, source), checker, (rows) =>
        input.onProgress?.(rows, counter.bytes),
      );
      if (input.format === 'csv' && !checker.sawHeader()) checker.errors.push({ line: 1, reason: 'missing header line' });
      if (checker.errors.length > 0) {
        throw new AppError('LOAD_REJECTED', 'some rows do not match the registered fields; nothing was loaded', {
          details: { errors: checker.errors, errorCount: Math.max(checker.errorCount, checker.errors.length) },
        });
      }
      const checksum = counter.hash.digest('hex');
      await tx.query(
        `INSERT INTO dataset_versions
           (dataset_code, version, physical_table, row_count, byte_count, checksum, format, fields, loaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
        [input.code, version, table, rowCount, counter.bytes, checksum, input.format, JSON.stringify(fields), input.loadedBy],
      );
      await tx.query('UPDATE datasets SET current_version = $2, updated_at = now() WHERE code = $1', [input.code, version]);
      await retireOldVersions(tx, input.code, input.versionsKept ?? DEFAULT_VERSIONS_KEPT);
      input.onProgress?.(rowCount, counter.bytes);
      return { code: input.code, version, rowCount, byteCount: counter.bytes, checksum, format: input.format };
    });
  } finally {
    // a refused or failed load may stop reading early; free the upload
    source.destroy();
  }
}
