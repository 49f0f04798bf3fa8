// The platform's side of the features: which datasets can be scored (and their enterprise key), the licensed
// fields masked for the sandbox as jobs see them, turned into numbers and standardized with platform statistics.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import { maskerFor, type PolicySet } from '../../policies/index.ts';
import { getDataset, versionTable, type Database, type DatasetRecord, type FieldValue } from '../../store/index.ts';
import { FEATURE_PATTERN, type FeatureStandardization } from './schemas.ts';

const BATCH = 10_000;
const DAY_MS = 86_400_000;

/**
 * Datasets with one row per enterprise, keyed by USCC: features of several join on the key. A dataset with many
 * rows per enterprise (social insurance months, dishonesty records) would need a per-enterprise aggregate first;
 * not offered yet (docs/encrypted-scoring.md).
 */
export const SCORING_SOURCES: Readonly<Record<string, { key: string }>> = { legal_persons: { key: 'uscc' } };

export interface FeatureRef {
  /** dataset:field as requested */
  name: string;
  dataset: string;
  field: string;
}

export function parseFeature(name: string): FeatureRef {
  const m = FEATURE_PATTERN.exec(name);
  if (!m) throw new AppError('VALIDATION_FAILED', 'a feature is dataset:field', { details: { reason: 'bad-feature' } });
  return { name, dataset: m[1]!, field: m[2]! };
}

export interface EnterpriseFeatures {
  /** per feature (request order), the standardized value of each found enterprise (found order) */
  columns: Float64Array[];
  /** the listed enterprises found in every dataset of the request, in request order: slot i = found[i] */
  found: string[];
  missing: string[];
  standardization: FeatureStandardization[];
  dataVersions: Record<string, number>;
}

const round6 = (x: number) => (x === 0 || !Number.isFinite(x) ? 0 : Number(x.toPrecision(6)));

/** How a masked field reads as a number: its masked type, or `date` for a date generalized to month text. */
function numericType(source: string, masked: string): 'integer' | 'decimal' | 'boolean' | 'date' | undefined {
  if (masked === 'integer' || masked === 'decimal' || masked === 'boolean' || masked === 'date') return masked;
  return source === 'date' && masked === 'string' ? 'date' : undefined;
}

/** A masked value as a number: numbers as they are, booleans 0/1, dates as years before `asOf`; else undefined. */
function numeric(value: FieldValue, type: string, asOfMs: number): number | null | undefined {
  if (value === null) return null;
  switch (type) {
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'date': {
      const text = String(value);
      const ms = Date.parse(/^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text);
      return Number.isNaN(ms) ? null : (asOfMs - ms) / (365.2425 * DAY_MS);
    }
    default:
      return undefined;
  }
}

/**
 * Checks the features against the registry: the dataset is scorable and has the field, and the field is still a
 * number (or a date / boolean) after the sandbox masking. Throws VALIDATION_FAILED naming the feature otherwise
 * (reason unknown-feature / feature-not-numeric); FORBIDDEN for a dataset that is unknown or not scorable (the
 * licence could not grant it for scoring either way).
 */
export function checkFeatures(features: readonly FeatureRef[], datasets: ReadonlyMap<string, DatasetRecord>, policies: PolicySet): void {
  for (const f of features) {
    const ds = datasets.get(f.dataset);
    if (!ds || !SCORING_SOURCES[f.dataset] || !policies.datasets.has(f.dataset)) {
      throw new AppError('FORBIDDEN', `the licence does not grant encrypted scoring on ${f.dataset}`, { details: { feature: f.name } });
    }
    const def = ds.fields.find((x) => x.name === f.field);
    if (!def) throw new AppError('VALIDATION_FAILED', `unknown feature ${f.name}`, { details: { reason: 'unknown-feature', feature: f.name } });
    const masker = maskerFor(policies, { ...ds, fields: [def] }, 'sandbox', { pseudonymKey: randomBytes(32), asOf: '2000-01-01' });
    const masked = masker.fields[0];
    if (!masked || numericType(def.type, masked.type) === undefined) {
      throw new AppError('VALIDATION_FAILED', `feature ${f.name} is not numeric as the sandbox sees it (${masked ? masked.keeps : 'not delivered'})`, {
        details: { reason: 'feature-not-numeric', feature: f.name },
      });
    }
  }
}

/**
 * Reads every row of each dataset's current version (key + requested fields), masks the fields for `sandbox`
 * exactly as jobs get them, computes mean and standard deviation over the masked non-missing values (the platform's
 * statistics, rounded to 6 digits), and keeps the standardized values of the listed enterprises. Missing values
 * become 0 (the mean). The key is read raw to match the list and leaves nothing.
 */
export async function readEnterpriseFeatures(
  database: Database,
  policies: PolicySet,
  datasets: ReadonlyMap<string, DatasetRecord>,
  features: readonly FeatureRef[],
  enterprises: readonly string[],
  now: Date,
): Promise<EnterpriseFeatures> {
  const asOfMs = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const asOf = new Date(asOfMs).toISOString().slice(0, 10);
  const wanted = new Map(enterprises.map((u, i) => [u, i]));
  // raw (masked, numeric) per feature per listed enterprise; NaN = missing; undefined row = not in that dataset
  const raw = features.map(() => new Float64Array(enterprises.length).fill(Number.NaN));
  const presentIn = new Map<string, Uint8Array>();
  const stats = features.map(() => ({ n: 0, sum: 0, sumSq: 0 }));
  const dataVersions: Record<string, number> = {};
  const byDataset = new Map<string, number[]>();
  features.forEach((f, j) => byDataset.set(f.dataset, [...(byDataset.get(f.dataset) ?? []), j]));

  for (const [code, idx] of byDataset) {
    const ds = datasets.get(code)!;
    const version = ds.currentVersion?.version;
    if (version === undefined) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no data loaded', { details: { dataset: code } });
    const row = await versionTable(database.db, code, version);
    dataVersions[code] = version;
    const key = SCORING_SOURCES[code]!.key;
    const names = [...new Set(idx.map((j) => features[j]!.field))];
    const defs = names.map((n) => row.fields.find((f) => f.name === n));
    if (defs.some((d) => !d) || !row.fields.some((f) => f.name === key)) {
      throw new AppError('FIELD_NOT_FOUND', 'a feature is not in the current version', { details: { dataset: code } });
    }
    // pseudonym masks cannot reach a feature (not numeric): a throw-away key satisfies maskerFor
    const masker = maskerFor(policies, { ...ds, fields: defs.map((d) => d!) }, 'sandbox', { pseudonymKey: randomBytes(32), asOf });
    const types = new Map(masker.fields.map((f) => [f.name, numericType(defs.find((d) => d!.name === f.name)!.type, f.type) ?? 'string']));
    const present = new Uint8Array(enterprises.length);
    presentIn.set(code, present);
    const list = [`"${key}"::text as "__key"`, ...defs.map((d) => (d!.type === 'integer' || d!.type === 'decimal' ? `"${d!.name}"::float8 as "${d!.name}"` : d!.type === 'date' ? `to_char("${d!.name}", 'YYYY-MM-DD') as "${d!.name}"` : `"${d!.name}"`))].join(', ');
    await database.transaction(async (tx) => {
      await tx.query(`declare scoring_rows no scroll cursor for select ${list} from ${row.table} order by ctid`);
      for (;;) {
        const batch = await tx.query<Record<string, FieldValue>>(`fetch ${BATCH} from scoring_rows`);
        if (batch.length === 0) break;
        const masked = masker.maskColumns(Object.fromEntries(names.map((n) => [n, batch.map((r) => r[n] ?? null)])));
        for (const j of idx) {
          const f = features[j]!;
          const values = masked[f.field]!;
          const type = types.get(f.field)!;
          const s = stats[j]!;
          for (let r = 0; r < batch.length; r++) {
            const v = numeric(values[r]!, type, asOfMs);
            if (v === null || v === undefined || !Number.isFinite(v)) continue;
            s.n++;
            s.sum += v;
            s.sumSq += v * v;
            const at = wanted.get(String(batch[r]!.__key));
            if (at !== undefined && Number.isNaN(raw[j]![at]!)) raw[j]![at] = v;
          }
        }
        for (const r of batch) {
          const at = wanted.get(String(r.__key));
          if (at !== undefined) present[at] = 1;
        }
      }
      await tx.query('close scoring_rows');
    });
  }

  const keep: number[] = [];
  const found: string[] = [];
  const missing: string[] = [];
  enterprises.forEach((u, i) => {
    if ([...presentIn.values()].every((p) => p[i] === 1)) {
      keep.push(i);
      found.push(u);
    } else missing.push(u);
  });
  const standardization: FeatureStandardization[] = [];
  const columns = features.map((f, j) => {
    const s = stats[j]!;
    const mean = round6(s.n ? s.sum / s.n : 0);
    const sd = round6(s.n > 1 ? Math.sqrt(Math.max(0, (s.sumSq - (s.sum * s.sum) / s.n) / (s.n - 1))) : 0);
    let imputed = 0;
    const col = Float64Array.from(keep, (i) => {
      const v = raw[j]![i]!;
      if (Number.isNaN(v)) {
        imputed++;
        return 0;
      }
      return sd > 0 ? (v - mean) / sd : 0;
    });
    standardization.push({ feature: f.name, mean, sd, imputed });
    return col;
  });
  return { columns, found, missing, standardization, dataVersions };
}

export async function loadDatasets(database: Database, codes: Iterable<string>): Promise<Map<string, DatasetRecord>> {
  const out = new Map<string, DatasetRecord>();
  for (const code of new Set(codes)) {
    const ds = await getDataset(database.db, code).catch(() => undefined);
    if (ds) out.set(code, ds);
  }
  return out;
}
