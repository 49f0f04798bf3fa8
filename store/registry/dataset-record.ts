// How a registry row is presented: the definition plus its current version. Wire format of GET /steward/datasets.
import type { DatasetDefinition } from './types.ts';
import type { datasets, datasetVersions } from './schema.ts';

export interface DatasetVersionRecord {
  version: number;
  rowCount: number;
  byteCount: number;
  checksum: string;
  format: string;
  loadedBy: string;
  loadedAt: string;
}

export interface DatasetRecord extends DatasetDefinition {
  currentVersion: DatasetVersionRecord | null;
  createdAt: string;
  updatedAt: string;
}

export function toVersionRecord(row: typeof datasetVersions.$inferSelect): DatasetVersionRecord {
  return {
    version: row.version,
    rowCount: row.rowCount,
    byteCount: row.byteCount,
    checksum: row.checksum,
    format: row.format,
    loadedBy: row.loadedBy,
    loadedAt: row.loadedAt.toISOString(),
  };
}

export function toDatasetRecord(
  row: typeof datasets.$inferSelect,
  version: typeof datasetVersions.$inferSelect | null,
): DatasetRecord {
  return {
    code: row.code,
    name: row.name,
    description: row.description,
    department: row.department,
    departmentCode: row.departmentCode,
    sourceSystem: row.sourceSystem,
    updateCycle: row.updateCycle as DatasetDefinition['updateCycle'],
    grade: row.grade as DatasetDefinition['grade'],
    openType: row.openType as DatasetDefinition['openType'],
    fields: row.fields,
    currentVersion: version ? toVersionRecord(version) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
