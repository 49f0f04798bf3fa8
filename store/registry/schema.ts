// Tables of the dataset registry (目录—数据—系统): what each dataset is, and which physical table holds each version.
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { FieldDefinition } from './types.ts';

export const datasets = pgTable('datasets', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  department: text('department').notNull(),
  departmentCode: text('department_code').notNull(),
  sourceSystem: text('source_system').notNull(),
  updateCycle: text('update_cycle').notNull(),
  grade: text('grade').notNull(),
  openType: text('open_type').notNull(),
  fields: jsonb('fields').$type<FieldDefinition[]>().notNull(),
  /** the version readers see; null until the first load */
  currentVersion: integer('current_version'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datasetVersions = pgTable(
  'dataset_versions',
  {
    datasetCode: text('dataset_code')
      .notNull()
      .references(() => datasets.code),
    version: integer('version').notNull(),
    /** schema-qualified, quoted name of the table holding this version's rows; null once retired */
    physicalTable: text('physical_table'),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    byteCount: bigint('byte_count', { mode: 'number' }).notNull(),
    /** SHA-256 (hex) of the bytes as uploaded */
    checksum: text('checksum').notNull(),
    format: text('format').notNull(),
    /** the fields as they were when this version was loaded */
    fields: jsonb('fields').$type<FieldDefinition[]>().notNull(),
    loadedBy: text('loaded_by').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.datasetCode, t.version] })],
);
