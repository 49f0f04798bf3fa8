// Register, describe, list and read datasets in the registry.
import { and, asc, eq, gt } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { Db } from '../database.ts';
import { datasets, datasetVersions } from './schema.ts';
import { datasetDefinitionSchema, datasetPatchSchema } from './schemas.ts';
import { toDatasetRecord, type DatasetRecord } from './dataset-record.ts';

function invalid(issues: { path: PropertyKey[]; message: string }[]): AppError {
  return new AppError('VALIDATION_FAILED', 'dataset definition is invalid', {
    details: { issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}

/** Throws VALIDATION_FAILED for a bad definition and DATASET_EXISTS for a taken code. */
export async function registerDataset(db: Db, input: unknown): Promise<DatasetRecord> {
  const parsed = datasetDefinitionSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const inserted = await db.insert(datasets).values(parsed.data).onConflictDoNothing().returning();
  const row = inserted[0];
  if (!row) throw new AppError('DATASET_EXISTS', 'a dataset with this code is already registered');
  return toDatasetRecord(row, null);
}

/** Throws DATASET_NOT_FOUND and VALIDATION_FAILED. */
export async function updateDataset(db: Db, code: string, patch: unknown): Promise<DatasetRecord> {
  const parsed = datasetPatchSchema.safeParse(patch);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const updated = await db
    .update(datasets)
    .set({ ...parsed.data, updatedAt: new Date() })
    .where(eq(datasets.code, code))
    .returning();
  if (!updated[0]) throw new AppError('DATASET_NOT_FOUND', 'no dataset with this code');
  return getDataset(db, code);
}

/** Throws DATASET_NOT_FOUND. */
export async function getDataset(db: Db, code: string): Promise<DatasetRecord> {
  const rows = await db
    .select()
    .from(datasets)
    .leftJoin(
      datasetVersions,
      and(eq(datasetVersions.datasetCode, datasets.code), eq(datasetVersions.version, datasets.currentVersion)),
    )
    .where(eq(datasets.code, code));
  const row = rows[0];
  if (!row) throw new AppError('DATASET_NOT_FOUND', 'no dataset with this code');
  return toDatasetRecord(row.datasets, row.dataset_versions);
}

export interface DatasetPage {
  items: DatasetRecord[];
  nextCursor: string | null;
}

/** Lists datasets by code; `cursor` is the last code of the previous page. */
export async function listDatasets(db: Db, options: { limit: number; cursor?: string | undefined }): Promise<DatasetPage> {
  const rows = await db
    .select()
    .from(datasets)
    .leftJoin(
      datasetVersions,
      and(eq(datasetVersions.datasetCode, datasets.code), eq(datasetVersions.version, datasets.currentVersion)),
    )
    .where(options.cursor === undefined ? undefined : gt(datasets.code, options.cursor))
    .orderBy(asc(datasets.code))
    .limit(options.limit + 1);
  const items = rows.slice(0, options.limit).map((r) => toDatasetRecord(r.datasets, r.dataset_versions));
  const nextCursor = rows.length > options.limit ? (items.at(-1)?.code ?? null) : null;
  return { items, nextCursor };
}

/** The version history of a dataset, newest first. Throws DATASET_NOT_FOUND. */
export async function listDatasetVersions(db: Db, code: string) {
  await getDataset(db, code);
  return db
    .select()
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetCode, code))
    .orderBy(asc(datasetVersions.version));
}
