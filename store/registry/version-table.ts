// Where a loaded dataset version's rows are: its physical table and the fields it was loaded with.
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { Db } from '../database.ts';
import { datasetVersions } from './schema.ts';
import type { FieldDefinition } from './types.ts';

/**
 * The table (schema-qualified and quoted, ready for SQL) and the version's own fields, which may differ from the
 * dataset's current definition. Throws DATASET_NOT_FOUND for a version that is retired or does not exist.
 */
export async function versionTable(db: Db, code: string, version: number): Promise<{ table: string; fields: FieldDefinition[] }> {
  const [row] = await db
    .select({ table: datasetVersions.physicalTable, fields: datasetVersions.fields })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetCode, code), eq(datasetVersions.version, version)));
  if (!row?.table) throw new AppError('DATASET_NOT_FOUND', 'the dataset version is retired', { details: { dataset: code } });
  return { table: row.table, fields: row.fields };
}
