// Step 3 of the trust boundary, at any size: the licensed fields of a dataset's current version stream out of the
// database as typed batches (store's columnar reader), and are masked as they arrive — once per distinct value where
// the mask is a function of the value (every rule is: generalising dates, codes, regions, groups, and keyed
// pseudonyms too), per row only for numbers. The platform's own contributor id (a keyed pseudonym of the person id,
// contributor-ids.ts) is computed per batch, from the bytes, and never shown to the job.
import { AppError } from '../../errors/index.ts';
import type { ConfinedInput } from '../confinement/index.ts';
import { maskerFor, type PolicySet } from '../../policies/index.ts';
import { contributorHasher, type ContributorIds } from './contributor-ids.ts';
import { type BatchColumn, type CopyColumnKind, getDataset, NULL_DATE, readColumns, versionTable, type Database, type FieldType, type FieldValue } from '../../store/index.ts';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;
const DAY_MS = 86_400_000;

/** How a masked field reaches the job: numbers, booleans (0/1), or dictionary codes into the field's masked dictionary. */
export type MaskedFieldKind = 'f64' | 'bool' | 'dict';

export interface MaskedField {
  readonly name: string;
  readonly kind: MaskedFieldKind;
}

/** A batch of masked rows. `values[f]` is Float64Array (NaN missing) for f64, Int32Array otherwise (-1 missing). */
export interface MaskedBatch {
  readonly rows: number;
  /** each row's physical id in the version (ctid as block × 65,536 + offset): stable across jobs on the version */
  readonly rowIds: Float64Array;
  readonly values: readonly (Float64Array | Int32Array)[];
  /** person-level datasets: the contributor's 128-bit keyed pseudonym (4 words a row) and its sketch fingerprint (2 words) */
  readonly contributor: ContributorIds | null;
}

export interface MaskedInput {
  readonly fields: readonly MaskedField[];
  /** the version's row count in the registry (known before any row is read) */
  readonly expectedRows: number;
  readonly version: number;
  /** the masked dictionary of a dict field so far (complete once the batches are consumed) */
  dictionary(field: number): readonly string[];
  /** whether a bool field had a missing value (complete once the batches are consumed) */
  boolMissing(field: number): boolean;
  readonly batches: AsyncIterable<MaskedBatch>;
}

export interface MaskOptions {
  readonly pseudonymKey: Uint8Array;
  /** YYYY-MM-DD: the day ages are computed on */
  readonly asOf: string;
}

const READ_KIND: Record<FieldType, CopyColumnKind> = { integer: 'float8', decimal: 'float8', boolean: 'bool', date: 'date', timestamp: 'text', string: 'text' };

function readExpression(name: string, type: FieldType): string {
  const q = `"${name}"`;
  switch (type) {
    case 'integer':
    case 'decimal':
      return `${q}::float8`;
    case 'timestamp':
      return `to_char(${q} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    default:
      return q;
  }
}

const outputKind = (type: FieldType): MaskedFieldKind => (type === 'integer' || type === 'decimal' ? 'f64' : type === 'boolean' ? 'bool' : 'dict');

/** Masked strings to codes, in order of first appearance. */
class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  code(value: string): number {
    let c = this.index.get(value);
    if (c === undefined) this.index.set(value, (c = this.values.push(value) - 1));
    return c;
  }
}

/** One field's mask, applied to a batch column. */
interface FieldMasker {
  readonly kind: MaskedFieldKind;
  readonly dictionary: Dictionary | null;
  boolMissing: boolean;
  apply(column: BatchColumn, rawDictionary: readonly string[] | null, rows: number): Float64Array | Int32Array;
}

/**
 * Opens the licensed, masked input of a job (`fields` already authorised against the licence). Throws
 * DATASET_NOT_FOUND when the dataset has no loaded version, FIELD_NOT_FOUND for a field the version lacks,
 * TypeError for a name that is not an identifier or a contributor field the version lacks.
 */
export async function openMaskedInput(
  database: Database,
  policies: PolicySet,
  code: string,
  fields: readonly string[],
  mask: MaskOptions,
  contributor?: { readonly field: string; readonly key: Uint8Array },
): Promise<MaskedInput> {
  const dataset = await getDataset(database.db, code);
  const current = dataset.currentVersion;
  if (!current) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no data loaded', { details: { dataset: code } });
  const { table, fields: versionFields } = await versionTable(database.db, code, current.version);
  const wanted = new Set(fields);
  const defs = versionFields.filter((f) => wanted.has(f.name));
  if (defs.length !== wanted.size) throw new AppError('FIELD_NOT_FOUND', 'a licensed field is not in the current version', { details: { dataset: code } });
  for (const f of defs) if (!IDENTIFIER.test(f.name)) throw new TypeError('field name failed validation');
  if (contributor && (!IDENTIFIER.test(contributor.field) || !versionFields.some((f) => f.name === contributor.field))) throw new TypeError('the contributor field is not in this version');
  // a masker over just the licensed fields: it needs every source column it masks, and gets nothing else
  const masker = maskerFor(policies, { ...dataset, fields: defs }, 'sandbox', mask);
  const sourceIndex = new Map(defs.map((f, i) => [f.name, i]));
  const maskers = masker.columns.map((c) => fieldMasker(c.mask, defs[sourceIndex.get(c.source)!]!.type, c.field.type));
  const specs = [
    { expression: 'ctid', kind: 'tid' as const },
    ...defs.map((f) => ({ expression: readExpression(f.name, f.type), kind: READ_KIND[f.type] })),
    ...(contributor ? [{ expression: `"${contributor.field}"::text`, kind: 'bytes' as const }] : []),
  ];
  const reader = readColumns(database, { table, columns: specs });
  const sources = masker.columns.map((c) => 1 + sourceIndex.get(c.source)!);
  const contributorOf = contributor ? contributorHasher(contributor.key) : null;

  async function* batches(): AsyncGenerator<MaskedBatch> {
    for await (const batch of reader) {
      const values = maskers.map((m, i) => {
        const s = sources[i]!;
        return m.apply(batch.columns[s]!, batch.columns[s]!.kind === 'text' ? reader.dictionary(s) : null, batch.rows);
      });
      const ids = batch.columns[0] as Extract<BatchColumn, { kind: 'tid' }>;
      const who = contributorOf ? contributorOf(batch.columns[specs.length - 1] as Extract<BatchColumn, { kind: 'bytes' }>, batch.rows) : null;
      yield { rows: batch.rows, rowIds: ids.ids, values, contributor: who };
    }
  }

  return {
    fields: masker.columns.map((c, i) => ({ name: c.field.name, kind: maskers[i]!.kind })),
    expectedRows: current.rowCount,
    version: current.version,
    dictionary: (f) => maskers[f]!.dictionary?.values ?? [],
    boolMissing: (f) => maskers[f]!.boolMissing,
    batches: batches(),
  };
}

/**
 * The mask of one field as batch work. Values arriving as codes (text) or day numbers (dates) are masked once per
 * distinct value and remembered; numbers per row.
 */
function fieldMasker(fn: (v: FieldValue) => FieldValue, input: FieldType, output: FieldType): FieldMasker {
  const kind = outputKind(output);
  const dictionary = kind === 'dict' ? new Dictionary() : null;
  const state: FieldMasker = {
    kind,
    dictionary,
    boolMissing: false,
    apply: () => {
      throw new TypeError('unreachable');
    },
  };
  // a masked value as the job's column holds it: f64 number, 0/1, or a dictionary code (-1 missing)
  const encode = (v: FieldValue): number => {
    if (v === null || v === undefined) return kind === 'f64' ? NaN : -1;
    if (kind === 'f64') return typeof v === 'number' ? v : Number(v);
    if (kind === 'bool') return v === true || v === 't' || v === 'true' ? 1 : 0;
    return dictionary!.code(String(v));
  };
  const track = (out: Int32Array): Int32Array => {
    if (kind === 'bool' && !state.boolMissing) for (let i = 0; i < out.length; i++) if (out[i] === -1) state.boolMissing = true;
    return out;
  };
  const alloc = (rows: number): Float64Array | Int32Array => (kind === 'f64' ? new Float64Array(rows) : new Int32Array(rows));
  if (input === 'integer' || input === 'decimal') {
    const memo = kind === 'dict' ? new Map<number, number>() : null;
    state.apply = (column, _raw, rows) => {
      const values = (column as Extract<BatchColumn, { kind: 'float8' }>).values;
      const out = alloc(rows);
      for (let i = 0; i < rows; i++) {
        const x = values[i]!;
        if (x !== x) out[i] = kind === 'f64' ? NaN : -1;
        else if (memo) {
          let c = memo.get(x);
          if (c === undefined) memo.set(x, (c = encode(fn(x))));
          out[i] = c;
        } else out[i] = encode(fn(x));
      }
      return kind === 'f64' ? out : track(out as Int32Array);
    };
    return state;
  }
  // per distinct value: the raw value's code (text), day (dates) or 0/1 (booleans) → the encoded masked value
  const known = new Map<number, number>();
  const rawValue = (key: number, raw: readonly string[] | null): FieldValue =>
    input === 'date' ? new Date(key * DAY_MS).toISOString().slice(0, 10) : input === 'boolean' ? key === 1 : raw![key]!;
  state.apply = (column, raw, rows) => {
    const keys = column.kind === 'text' ? column.codes : column.kind === 'date' ? column.days : Int32Array.from((column as Extract<BatchColumn, { kind: 'bool' }>).values);
    const missing = column.kind === 'date' ? NULL_DATE : -1;
    const out = alloc(rows);
    for (let i = 0; i < rows; i++) {
      const k = keys[i]!;
      if (k === missing) {
        out[i] = kind === 'f64' ? NaN : -1;
        continue;
      }
      let v = known.get(k);
      if (v === undefined) known.set(k, (v = encode(fn(rawValue(k, raw)))));
      out[i] = v;
    }
    return kind === 'f64' ? out : track(out as Int32Array);
  };
  return state;
}

/** The masked input as the confinement reads it: person-level rows carry their contributor's id and fingerprint. */
export function confinedInput(input: MaskedInput, personLevel: boolean): ConfinedInput {
  return {
    fields: input.fields,
    expectedRows: input.expectedRows,
    rowsAreContributors: !personLevel,
    extraWidth: personLevel ? 2 : 0,
    batches: (async function* () {
      for await (const b of input.batches) {
        yield { rows: b.rows, rowIds: b.rowIds, values: b.values, units: b.contributor?.words ?? null, excluded: b.contributor?.missing ?? null, extra: b.contributor?.fingerprints ?? null };
      }
    })(),
    dictionary: (f) => input.dictionary(f),
    boolMissing: (f) => input.boolMissing(f),
  };
}
