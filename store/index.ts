export { openDatabase } from './open-database.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { migrate, migrationsApplied } from './migrate.ts';
export type { CopySink, Database, Db, SqlClient } from './database.ts';
export { schema } from './schema.ts';
export {
  registerDataset,
  updateDataset,
  getDataset,
  listDatasets,
  listDatasetVersions,
} from './registry/datasets.ts';
export type { DatasetPage } from './registry/datasets.ts';
export type { DatasetRecord, DatasetVersionRecord } from './registry/dataset-record.ts';
export { loadDataset } from './registry/load-dataset.ts';
export type { LoadDatasetInput, LoadResult, RowError } from './registry/load-dataset.ts';
export { LOAD_FORMATS } from './registry/read-records.ts';
export type { LoadFormat } from './registry/read-records.ts';
export { datasetDefinitionSchema, datasetPatchSchema, fieldDefinitionSchema } from './registry/schemas.ts';
export type { DatasetDefinitionInput, DatasetPatch } from './registry/schemas.ts';
export { FIELD_TYPES, GRADES, OPEN_TYPES, SENSITIVITIES, UPDATE_CYCLES } from './registry/types.ts';
export type {
  DatasetDefinition,
  FieldDefinition,
  FieldType,
  FieldValue,
  Grade,
  OpenType,
  Row,
  Sensitivity,
  UpdateCycle,
} from './registry/types.ts';
export { createTestDatabase, testDatabaseKind } from './testing.ts';
export type { TestDatabase } from './testing.ts';
