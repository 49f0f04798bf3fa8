// H(y_j) for the distinct identifiers of a dataset field's current version, cached per version. The RAW field is read
// here, inside the platform, for this purpose only: PSI on a masked identifier would never match. Nothing read here
// leaves the platform except as b·H(y_j) under a key drawn fresh for each run.
import { psi } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import { getDataset, versionTable, type Database } from '../../store/index.ts';

const BATCH = 10_000;
const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

export interface ServerPoints {
  version: number;
  /** n·32 bytes: H(y_j) for the n distinct normalised identifiers */
  hashed: Uint8Array;
  size: number;
}

/**
 * Keeps the hashed points of the last few (dataset, field, version) triples. A new version gets a new key, so a
 * reload is never served stale points; b·H is never cached (b lives for one run). Holds only hashes, no identifiers.
 */
export class PsiPointCache {
  private readonly entries = new Map<string, ServerPoints>();
  constructor(private readonly capacity = 4) {}

  get(key: string): ServerPoints | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: ServerPoints): void {
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Throws DATASET_NOT_FOUND (nothing loaded) or FIELD_NOT_FOUND (field not in the current version). */
export async function serverPoints(database: Database, cache: PsiPointCache, code: string, field: string): Promise<ServerPoints> {
  if (!IDENTIFIER.test(field)) throw new TypeError('field name failed validation');
  const dataset = await getDataset(database.db, code);
  const version = dataset.currentVersion?.version;
  if (version === undefined) throw new AppError('DATASET_NOT_FOUND', 'the dataset has no data loaded', { details: { dataset: code } });
  const key = `${code}@${version}.${field}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await versionTable(database.db, code, version);
  if (!row.fields.some((f) => f.name === field)) throw new AppError('FIELD_NOT_FOUND', 'the field is not in the current version', { details: { dataset: code, field } });

  const context = psi.psiContext(code, field);
  const distinct = new Set<string>();
  const chunks: Uint8Array[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) chunks.push(psi.hashAllToPoints(pending, context));
    pending = [];
  };
  await database.transaction(async (tx) => {
    await tx.query(`declare psi_rows no scroll cursor for select "${field}"::text as v from ${row.table} where "${field}" is not null`);
    for (;;) {
      const batch = await tx.query<{ v: string }>(`fetch ${BATCH} from psi_rows`);
      if (batch.length === 0) break;
      for (const { v } of batch) {
        const n = psi.normalizeIdentifier(v);
        if (n === '' || distinct.has(n)) continue;
        distinct.add(n);
        pending.push(n);
      }
      flush();
    }
    await tx.query('close psi_rows');
  });
  const hashed = new Uint8Array(distinct.size * psi.PSI_POINT_BYTES);
  let offset = 0;
  for (const c of chunks) {
    hashed.set(c, offset);
    offset += c.length;
  }
  const points = { version, hashed, size: distinct.size };
  cache.set(key, points);
  return points;
}
