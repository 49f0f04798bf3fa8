export { openDatabase } from './open-database.ts';
export { openReach } from './open-postgres.ts';
export { EmbeddedStartError, startEmbeddedHost } from './embedded/start-host.ts';
export type { EmbeddedHost } from './embedded/start-host.ts';
export { serveWire } from './embedded/wire-server.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { migrate, migrationsApplied } from './migrate.ts';
export type { CopySink, Database, DatabaseReach, Db, SqlClient } from './database.ts';
export { schema } from './schema.ts';
export {
  registerDataset,
  updateDataset,
  getDataset,
  listDatasets,
  listDatasetVersions,
} from './registry/datasets.ts';
export type { DatasetPage } from './registry/datasets.ts';
export { versionTable } from './registry/version-table.ts';
export type { DatasetRecord, DatasetVersionRecord } from './registry/dataset-record.ts';
export { loadDataset } from './registry/load-dataset.ts';
export { loadDatasetOffLoop, prepareLoadThread, SMALL_LOAD_BYTES } from './registry/load-off-loop.ts';
export type { OffLoopOptions } from './registry/load-off-loop.ts';
export { BACKGROUND_NICE, runInBackground, startWorkerThread } from './worker-thread.ts';
export { createTableStatement } from './registry/physical-table.ts';
export { scanTable } from './scan-table.ts';
export { BinaryCopyDecoder, CopyFormatError, NULL_DATE, readColumns, TextInterner } from './columnar/index.ts';
export type { BatchColumn, ColumnBatch, CopyColumnKind, ColumnReader, ColumnReadOptions, ColumnSpec } from './columnar/index.ts';
export type { ColumnKind, TableScan } from './scan-table.ts';
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
export { createReachableTestDatabase, createTestDatabase, testDatabaseKind } from './testing.ts';
export type { TestDatabase } from './testing.ts';
export { appendAudit, appendAuditSql, AUDIT_LOCK_ID } from './audit/append-audit.ts';
export { recordChange } from './audit/record-change.ts';
export type { ChangeContext } from './audit/record-change.ts';
export { AuditLog } from './audit/audit-log.ts';
export type { AuditLogOptions } from './audit/audit-log.ts';
export { listAudit, parseAuditCursor } from './audit/list-audit.ts';
export type { AuditPage } from './audit/list-audit.ts';
export type { AuditFilters } from './audit/filters.ts';
export { verifyAudit } from './audit/verify-audit.ts';
export type { AuditVerification, CheckedCheckpoint, VerifyAuditOptions } from './audit/verify-audit.ts';
export type { AuditInvalidReason } from './audit/scan-chain.ts';
export {
  auditLogId,
  checkpointSigningInput,
  createCheckpoint,
  latestCheckpoint,
  parseAuditCheckpoint,
  verifyCheckpointSignature,
} from './audit/checkpoints.ts';
export { AUDIT_CSV_COLUMNS, AUDIT_EXPORT_FORMATS, exportAudit } from './audit/export-audit.ts';
export type { AuditExportFormat } from './audit/export-audit.ts';
export { loadAuditSigningKey } from './audit/signing-key.ts';
export { REDACTED, isSensitiveKey, safeDetails } from './audit/safe-details.ts';
export { auditEntryHash } from './audit/entry.ts';
export { auditCheckpointSchema, auditQuerySchema } from './audit/schemas.ts';
export type { AuditQuery } from './audit/schemas.ts';
export { AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, CHECKPOINT_ALG, GENESIS_HASH } from './audit/types.ts';
export type {
  AuditActor,
  AuditActorType,
  AuditCheckpoint,
  AuditEntry,
  AuditEvent,
  AuditOutcome,
} from './audit/types.ts';
export { licenses, operatorKeys, operators, OPERATIONS, usedAssertions } from './whitelist/schema.ts';
export type { LicensedDataset, LicenseStatus, Operation, OperatorContact, OperatorStatus } from './whitelist/schema.ts';
