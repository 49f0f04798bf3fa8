// Reading a whole (large) table out in batches with constant memory, for streamed downloads. Each engine gets the
// way that suits it: PostgreSQL a server-side cursor on one pooled connection; PGlite, which has a single connection
// that every request shares, short page-range queries so no transaction or cursor stays open between batches — and so
// does the embedded database behind its socket (store/embedded), whose one session every client shares as well.
import type { Database } from './database.ts';
import { pgliteClientOf } from './open-pglite.ts';
import { postgresClientOf } from './open-postgres.ts';

export interface TableScan {
  /** schema-qualified, quoted table name (as dataset_versions.physical_table holds it) */
  readonly table: string;
  /** the select list, built from quoted identifiers only */
  readonly select: string;
  /** a condition with `$1`, `$2` ... placeholders for `params`; values are always bound, never spliced */
  readonly where?: string | undefined;
  readonly params?: readonly unknown[] | undefined;
  /** rows per batch on PostgreSQL (default 5,000) */
  readonly batchRows?: number | undefined;
  /** heap pages per batch on PGlite (default 256, about 2 MB of table) */
  readonly batchPages?: number | undefined;
  /**
   * How to read each selected column from text: lets PGlite read unfiltered batches with COPY, several times
   * faster than a query result there. Without it (or with `params`), batches are plain queries.
   */
  readonly kinds?: readonly ColumnKind[] | undefined;
}

/** The JavaScript value a column is read as: a string, a number (select it as float8) or a boolean. */
export type ColumnKind = 'text' | 'number' | 'boolean';

/**
 * The table's rows in physical (ctid) order, as arrays in select-list order, a batch at a time. Stopping the
 * iteration early (a client that went away) closes the cursor on PostgreSQL; on PGlite nothing is held between
 * batches. Meant for tables that are written once (dataset versions): rows added during a PGlite scan past its
 * starting size are not read.
 */
export function scanTable(database: Database, scan: TableScan): AsyncGenerator<unknown[][]> {
  return database.kind === 'postgres' && !database.singleSession ? scanWithCursor(database, scan) : scanByPages(database, scan);
}

/** One statement's rows as arrays: through PGlite's own client, or through postgres.js to the embedded host. */
type RowsQuery = (text: string, params: unknown[]) => Promise<unknown[][]>;

function rowsQueryOf(database: Database): RowsQuery {
  if (database.kind === 'pglite') {
    const client = pgliteClientOf(database);
    return async (text, params) => (await client.query<unknown[]>(text, params, { rowMode: 'array' })).rows;
  }
  const sql = postgresClientOf(database);
  return async (text, params) => (await sql.unsafe(text, params as never[]).values()) as unknown as unknown[][];
}

async function* scanWithCursor(database: Database, scan: TableScan): AsyncGenerator<unknown[][]> {
  const sql = postgresClientOf(database);
  const where = scan.where ? ` where ${scan.where}` : '';
  const query = sql.unsafe(`select ${scan.select} from ${scan.table}${where} order by ctid`, [...(scan.params ?? [])] as never[]);
  // postgres.js runs the portal on one connection of the pool; leaving the loop early sends Close and frees it
  for await (const rows of query.values().cursor(scan.batchRows ?? 5000)) {
    yield rows as unknown as unknown[][];
  }
}

async function* scanByPages(database: Database, scan: TableScan): AsyncGenerator<unknown[][]> {
  const query = rowsQueryOf(database);
  const [size] = await query(`select (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::int as pages`, [scan.table]);
  const pages = Number(size?.[0] ?? 0);
  const step = scan.batchPages ?? 256;
  const params = [...(scan.params ?? [])];
  if (database.kind === 'pglite' && params.length === 0 && scan.kinds) {
    // COPY takes no bind parameters, so only unfiltered scans (whose SQL holds just page numbers) go this way
    const client = pgliteClientOf(database);
    const kinds = scan.kinds;
    const where = scan.where ? ` and (${scan.where})` : '';
    for (let page = 0; page < pages; page += step) {
      const range = `ctid >= '(${page},0)'::tid and ctid < '(${page + step},0)'::tid`;
      const result = await client.query(`copy (select ${scan.select} from ${scan.table} where ${range}${where} order by ctid) to '/dev/blob'`);
      const rows = result.blob ? parseCopyText(await result.blob.text(), kinds) : [];
      if (rows.length > 0) yield rows;
    }
    return;
  }
  const lo = `$${params.length + 1}::tid`;
  const hi = `$${params.length + 2}::tid`;
  const where = `ctid >= ${lo} and ctid < ${hi}${scan.where ? ` and (${scan.where})` : ''}`;
  // a TID range scan reads just these pages: each batch costs its own size, not the table's
  const text = `select ${scan.select} from ${scan.table} where ${where} order by ctid`;
  for (let page = 0; page < pages; page += step) {
    const rows = await query(text, [...params, `(${page},0)`, `(${page + step},0)`]);
    if (rows.length > 0) yield rows;
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** One field of COPY's text format: backslash escapes undone (COPY TO writes only these single-letter ones). */
function unescapeCopy(field: string): string {
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/**
 * Rows of COPY ... TO (FORMAT text): tab-separated, `\N` for null, one line per row. Exported for its test.
 * Hot on PGlite downloads (every value passes here), so it walks the text with native indexOf instead of splitting
 * each line, and tracks the next backslash once for the whole text rather than searching each field for one.
 */
export function parseCopyText(text: string, kinds: readonly ColumnKind[]): unknown[][] {
  const rows: unknown[][] = [];
  const length = text.length;
  const width = kinds.length;
  let backslash = text.indexOf('\\');
  if (backslash < 0) backslash = length;
  let start = 0;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    const row = new Array<unknown>(width);
    let i = 0;
    let from = start;
    for (;;) {
      let to = text.indexOf('\t', from);
      if (to < 0 || to > end) to = end;
      let value: unknown;
      if (backslash >= to) {
        const v = text.slice(from, to);
        const kind = kinds[i];
        value = kind === 'number' ? Number(v) : kind === 'boolean' ? v === 't' : v;
      } else if (to - from === 2 && backslash === from && text.charCodeAt(from + 1) === 78) {
        value = null; // \N
      } else {
        const v = unescapeCopy(text.slice(from, to));
        const kind = kinds[i];
        value = kind === 'number' ? Number(v) : kind === 'boolean' ? v === 't' : v;
      }
      if (backslash < to) {
        backslash = text.indexOf('\\', to);
        if (backslash < 0) backslash = length;
      }
      row[i++] = value;
      if (to === end) break;
      from = to + 1;
    }
    if (i !== width) row.length = i;
    rows.push(row);
    start = end + 1;
  }
  return rows;
}
