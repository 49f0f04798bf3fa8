// Step 1 of the trust boundary: the licensed fields of a dataset's current version, masked for the sandbox, as columns.
// Rows stream from the physical table through a cursor in batches; only the masked values are kept.
import { AppError } from '../../errors/index.ts';
import { maskerFor, type PolicySet } from '../../policies/index.ts';
import { getDataset, versionTable, type Database, type FieldType, type FieldValue } from '../../store/index.ts';
import type { ColumnInput } from '../execution/index.ts';

const BATCH = 10_000;
const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

export interface LicensedColumns {
  columns: Record<string, ColumnInput>;
  /** per row, the contributor's platform-keyed pseudonym (dictionary-encoded); null when each row is its own contributor */
  contributorIds: { codes: Int32Array; dictionary: string[] } | null;
  rowCount: number;
  version: number;
}

/** Normalised in SQL so both drivers hand over the same plain values (dates as YYYY-MM-DD text, numbers as float8). */
function selectExpression(name: string, type: FieldType): string {
  const q = `"${name}"`;
  switch (type) {
    case 'integer':
    case 'decimal':
      return `${q}::float8 as ${q}`;
    case 'date':
      return `to_char(${q}, 'YYYY-MM-DD') as ${q}`;
    case 'timestamp':
      return `to_char(${q} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ${q}`;
    default:
      return q;
  }
}

/**
 * Reads and masks `fields` (already authorised against the licence). Throws DATASET_NOT_FOUND when the dataset has
 * no loaded version, TypeError for a field name that is not an identifier (validated upstream).
 */
export async function readLicensedColumns(
  database: Database,
  policies: PolicySet,
  code: string,
  fields: readonly string[],
  mask: { pseudonymKey: Uint8Array; asOf: string },
  contributor?: { field: string; pseudonymize: (value: string) => string },
): Promise<LicensedColumns> {
  const dataset = await getDataset(database.db, code);
  const version = dataset.currentVersion?.version;
  if (version === undefined) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no data loaded', { details: { dataset: code } });
  const row = await versionTable(database.db, code, version);
  const wanted = new Set(fields);
  const defs = row.fields.filter((f) => wanted.has(f.name));
  if (defs.length !== wanted.size) throw new AppError('FIELD_NOT_FOUND', 'a licensed field is not in the current version', { details: { dataset: code } });
  for (const f of defs) if (!IDENTIFIER.test(f.name)) throw new TypeError('field name failed validation');
  // a masker over just the licensed fields: it needs every source column it masks, and gets nothing else
  const masker = maskerFor(policies, { ...dataset, fields: defs }, 'sandbox', mask);
  const masked: Record<string, FieldValue[]> = Object.fromEntries(masker.fields.map((f) => [f.name, []]));
  const table = row.table;
  if (contributor && !row.fields.some((f) => f.name === contributor.field)) throw new TypeError('the contributor field is not in this version');
  if (contributor && !IDENTIFIER.test(contributor.field)) throw new TypeError('field name failed validation');
  // the contributor id is read for the platform's own counting only: pseudonymised at once, never given to the job
  const list = [...defs.map((f) => selectExpression(f.name, f.type)), ...(contributor ? [`"${contributor.field}"::text as "__contributor"`] : [])].join(', ');
  const ids: FieldValue[] = [];
  let rowCount = 0;
  await database.transaction(async (tx) => {
    // ctid order: the same rows at the same positions for every job on this version (stable population sketches)
    await tx.query(`declare job_rows no scroll cursor for select ${list} from ${table} order by ctid`);
    for (;;) {
      const batch = await tx.query<Record<string, FieldValue>>(`fetch ${BATCH} from job_rows`);
      if (batch.length === 0) break;
      rowCount += batch.length;
      const raw = Object.fromEntries(defs.map((f) => [f.name, batch.map((r) => r[f.name] ?? null)]));
      const out = masker.maskColumns(raw);
      for (const [name, values] of Object.entries(out)) for (const v of values) masked[name]!.push(v);
      if (contributor) for (const r of batch) ids.push(typeof r.__contributor === 'string' ? contributor.pseudonymize(r.__contributor) : null);
    }
    await tx.query('close job_rows');
  });
  const columns: Record<string, ColumnInput> = {};
  for (const f of masker.fields) columns[f.name] = toColumn(masked[f.name]!, f.type);
  const contributorIds = contributor ? (toColumn(ids, 'string') as { codes: Int32Array; dictionary: string[] }) : null;
  return { columns, contributorIds, rowCount, version };
}

/** Numbers to Float64Array (NaN missing), booleans to Int32Array 0/1 when none is missing, the rest dictionary-encoded. */
export function toColumn(values: readonly FieldValue[], type: FieldType): ColumnInput {
  if (type === 'integer' || type === 'decimal') return Float64Array.from(values, (v) => (v === null ? NaN : Number(v)));
  if (type === 'boolean' && values.every((v) => v !== null)) return Int32Array.from(values, (v) => (v ? 1 : 0));
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) return void (codes[i] = -1);
    const s = String(v);
    let c = index.get(s);
    if (c === undefined) {
      c = dictionary.length;
      index.set(s, c);
      dictionary.push(s);
    }
    codes[i] = c;
  });
  return { codes, dictionary };
}
