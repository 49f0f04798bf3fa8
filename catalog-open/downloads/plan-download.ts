// Deciding a download before a byte is sent: who may have which fields of which version, masked how, filtered how.
// The plan carries everything the stream needs and the validators (ETag, Last-Modified) a 304 needs.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError, isAppError } from '../../errors/index.ts';
import { datasetEntity, fieldEntity, maskerFor, type MaskRule, type PolicySet } from '../../policies/index.ts';
import { getDataset, schema, type ColumnKind, type DatasetRecord, type FieldType, type FieldValue, type TableScan } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { OUTPUT_EXTENSIONS, OUTPUT_MEDIA_TYPES, type OutputColumn, type OutputFormat } from '../formats/index.ts';
import type { ApplicationCredential } from './application-credential.ts';
import { filterCondition, parseFilters, type FilterableField } from './filters.ts';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;
const { datasetVersions } = schema;

export interface DownloadRequest {
  code: string;
  format: OutputFormat;
  /** `fields=a,b` split; undefined: every released field */
  fields?: readonly string[] | undefined;
  /** every other query parameter: filters */
  filters: Readonly<Record<string, readonly string[]>>;
  /** the approved application presented, for conditional-open data */
  application?: ApplicationCredential | undefined;
}

/** What masks need beyond the policy: a pseudonym key and the day ages are computed on. */
export interface MaskInputs {
  pseudonymKey: Uint8Array;
  /** short, public id of the key, so a new key changes the ETag of downloads with pseudonyms */
  pseudonymKeyId: string;
  asOf: string;
}

export interface DownloadPlan {
  code: string;
  name: string;
  version: number;
  loadedAt: Date;
  format: OutputFormat;
  mediaType: string;
  /** ASCII file name and its UTF-8 (RFC 5987) form with the dataset's Chinese name */
  filename: { ascii: string; utf8: string };
  columns: OutputColumn[];
  /** per output column, the mask of the value read at the same position */
  masks: ((value: FieldValue) => FieldValue)[];
  /** the same masks as rules (what another thread compiles them from: download-off-loop.ts) */
  maskRules: MaskRule[];
  /** the version's rows, before filters: what the download reads at most */
  rows: number;
  scan: TableScan;
  /** a strong validator of the bytes before any content encoding: quoted, without W/ */
  etag: string;
  /** field names released, and filter parameter names (never values): for the audit of application downloads */
  fieldNames: string[];
  filterNames: string[];
  applicationId: string | null;
}

/** Normalised in SQL so both drivers hand over the same plain values (as the sandbox reads them). */
function selectExpression(name: string, type: FieldType): string {
  const q = `"${name}"`;
  switch (type) {
    case 'integer':
    case 'decimal':
      return `${q}::float8`;
    case 'date':
      return `to_char(${q}, 'YYYY-MM-DD')`;
    case 'timestamp':
      return `to_char(${q} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    default:
      return q;
  }
}

function kindOf(type: FieldType): ColumnKind {
  return type === 'integer' || type === 'decimal' ? 'number' : type === 'boolean' ? 'boolean' : 'text';
}

const notFound = () => new AppError('DATASET_NOT_FOUND', 'no open dataset with this code');

function rfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decides who may download and compiles the masking; not_open data answers as if it did not exist. */
async function authorizeDataset(ctx: VerbContext, dataset: DatasetRecord, application: ApplicationCredential | undefined): Promise<void> {
  if (dataset.openType === 'not_open') {
    // asked anyway, so the decision is Cedar's and the forbid is exercised; the answer is the catalog's 404
    await ctx.authorize({ action: 'DownloadDataset', resource: datasetEntity(dataset) }).catch(() => {});
    throw notFound();
  }
  if (dataset.openType === 'conditional' && !application) {
    throw new AppError('UNAUTHENTICATED', 'conditional-open data needs an approved application: send X-Application-Id and X-Status-Token');
  }
  await ctx.authorize({ action: 'DownloadDataset', resource: datasetEntity(dataset) });
}

/**
 * Plans a download. Throws DATASET_NOT_FOUND (unknown, not open, or nothing loaded), UNAUTHENTICATED (conditional
 * data without a credential), FORBIDDEN (Cedar denies, or `fields` names a withheld field), BAD_REQUEST naming the
 * parameter (`fields` unknown, bad filter), POLICY_INVALID (the policy does not cover the version's fields).
 */
export async function planDownloadVerb(ctx: VerbContext, policies: PolicySet, request: DownloadRequest, inputs: MaskInputs): Promise<DownloadPlan> {
  let dataset: DatasetRecord;
  try {
    dataset = await getDataset(ctx.database.db, request.code);
  } catch (err) {
    if (isAppError(err) && err.code === 'DATASET_NOT_FOUND') throw notFound();
    throw err;
  }
  await authorizeDataset(ctx, dataset, request.application);
  const current = dataset.currentVersion;
  if (!current) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no data published yet', { details: { dataset: dataset.code } });
  const [row] = await ctx.database.db
    .select({ table: datasetVersions.physicalTable, fields: datasetVersions.fields, loadedAt: datasetVersions.loadedAt })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetCode, dataset.code), eq(datasetVersions.version, current.version)));
  if (!row?.table) throw new AppError('DATASET_NOT_FOUND', 'the dataset version is retired', { details: { dataset: dataset.code } });

  // the version's own fields (the definition may have changed since it was loaded), masked for open downloads
  const masker = maskerFor(policies, { ...dataset, fields: row.fields }, 'open_download', { pseudonymKey: inputs.pseudonymKey, asOf: inputs.asOf });
  const questions = masker.columns.map((c) => ({
    action: 'DownloadField' as const,
    resource: fieldEntity(dataset, { name: c.field.name, sensitivity: c.field.sensitivity, masked: c.field.rule.mask !== 'raw' }),
  }));
  const allowed = await ctx.authorizeEach(questions, `dataset:${dataset.code}/fields`);
  const approved = request.application ? new Set(request.application.fields) : null;
  const releasable = masker.columns.filter((c, i) => allowed[i] && (!approved || approved.has(c.field.name)));
  const known = new Set(row.fields.map((f) => f.name));

  let chosen = releasable;
  if (request.fields !== undefined) {
    const byName = new Map(releasable.map((c) => [c.field.name, c]));
    const names = [...new Set(request.fields)];
    if (names.length === 0) throw new AppError('BAD_REQUEST', 'fields names no field', { details: { parameter: 'fields' } });
    for (const name of names) {
      if (!known.has(name)) throw new AppError('BAD_REQUEST', 'fields names a field this dataset does not have', { details: { parameter: 'fields', field: name } });
      if (!byName.has(name)) {
        const reason = approved && !approved.has(name) ? 'not among the fields the application was approved for' : 'withheld from open downloads by the dataset policy';
        throw new AppError('FORBIDDEN', `fields names a field that is ${reason}`, { details: { parameter: 'fields', field: name } });
      }
    }
    // registry order, whatever order they were asked in: one file per set of fields, one ETag
    const wanted = new Set(names);
    chosen = releasable.filter((c) => wanted.has(c.field.name));
  }
  if (chosen.length === 0) throw new AppError('FORBIDDEN', 'the download policy releases no field of this dataset', { details: { dataset: dataset.code } });

  const sourceTypes = new Map(row.fields.map((f) => [f.name, f.type]));
  const releasedRaw = new Set(releasable.filter((c) => c.field.rule.mask === 'raw').map((c) => c.source));
  const filterable: FilterableField[] = row.fields.map((f) => ({
    name: f.name,
    type: f.type,
    refusal: releasedRaw.has(f.name) ? null : 'filters work on released fields whose values are not masked',
  }));
  const filters = parseFilters(request.filters, filterable);
  const { where, params } = filterCondition(filters, sourceTypes);

  for (const c of chosen) if (!IDENTIFIER.test(c.source)) throw new TypeError('field name failed validation');
  const select = chosen.map((c) => selectExpression(c.source, sourceTypes.get(c.source)!)).join(', ');
  const rules: Record<string, MaskRule> = Object.fromEntries(chosen.map((c) => [c.field.name, c.field.rule]));
  const usesKey = chosen.some((c) => c.field.rule.mask === 'pseudonym');
  const usesDay = chosen.some((c) => c.field.rule.mask === 'age_band');
  const etag = createHash('sha256')
    .update(
      JSON.stringify({
        v: 1,
        code: dataset.code,
        version: current.version,
        checksum: current.checksum,
        format: request.format,
        fields: chosen.map((c) => c.field.name),
        filters,
        rules,
        key: usesKey ? inputs.pseudonymKeyId : null,
        asOf: usesDay ? inputs.asOf : null,
      }),
    )
    .digest('base64url')
    .slice(0, 32);
  const ext = OUTPUT_EXTENSIONS[request.format];
  return {
    code: dataset.code,
    name: dataset.name,
    version: current.version,
    loadedAt: row.loadedAt,
    format: request.format,
    mediaType: OUTPUT_MEDIA_TYPES[request.format],
    filename: { ascii: `${dataset.code}-v${current.version}.${ext}`, utf8: `${rfc5987(dataset.name)}-${dataset.code}-v${current.version}.${ext}` },
    columns: chosen.map((c) => ({ name: c.field.name, type: c.field.type })),
    masks: chosen.map((c) => c.mask),
    maskRules: chosen.map((c) => c.field.rule),
    rows: current.rowCount,
    scan: { table: row.table, select, where, params, kinds: chosen.map((c) => kindOf(sourceTypes.get(c.source)!)) },
    etag: `"${etag}"`,
    fieldNames: chosen.map((c) => c.field.name),
    filterNames: filters.map((f) => (f.op === 'eq' ? f.field : `${f.field}.${f.op}`)),
    applicationId: request.application?.id ?? null,
  };
}
