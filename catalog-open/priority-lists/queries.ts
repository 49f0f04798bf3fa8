// Reads shared by the priority-list verbs: departments, catalog facts of linked datasets, published versions.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { schema, type Db } from '../../store/index.ts';
import { priorityListVersions, type PriorityListItem } from '../schema.ts';
import type { CatalogFacts } from './status.ts';

const { datasets } = schema;

/**
 * The department's name for a department code, from the dataset registry (the one place departments are declared).
 * Throws NOT_FOUND when no registered dataset names that code.
 */
export async function departmentName(db: Db, departmentCode: string): Promise<string> {
  const [row] = await db.select({ department: datasets.department }).from(datasets).where(eq(datasets.departmentCode, departmentCode)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'unknown department code', { details: { parameter: 'department' } });
  return row.department;
}

/** Catalog facts of every linked dataset of these items, in one query. */
export async function catalogFacts(db: Db, items: readonly Pick<PriorityListItem, 'datasetCode'>[]): Promise<Map<string, CatalogFacts>> {
  const codes = [...new Set(items.map((i) => i.datasetCode).filter((c): c is string => !!c))];
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ code: datasets.code, openType: datasets.openType, currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(inArray(datasets.code, codes));
  return new Map(rows.map((r) => [r.code, { openType: r.openType, currentVersion: r.currentVersion }]));
}

export type VersionRow = typeof priorityListVersions.$inferSelect;

/** The latest published version of each department's list of a year (optionally one department), by department code. */
export async function latestVersions(db: Db, year: number, departmentCode?: string): Promise<VersionRow[]> {
  const where = departmentCode
    ? and(eq(priorityListVersions.year, year), eq(priorityListVersions.departmentCode, departmentCode))
    : eq(priorityListVersions.year, year);
  const rows = await db
    .selectDistinctOn([priorityListVersions.departmentCode])
    .from(priorityListVersions)
    .where(where)
    .orderBy(priorityListVersions.departmentCode, desc(priorityListVersions.version));
  return rows;
}

/** Every version of one list, oldest first. */
export async function allVersions(db: Db, year: number, departmentCode: string): Promise<VersionRow[]> {
  return db
    .select()
    .from(priorityListVersions)
    .where(and(eq(priorityListVersions.year, year), eq(priorityListVersions.departmentCode, departmentCode)))
    .orderBy(priorityListVersions.version);
}

/** Years with at least one published list: per department its latest version and item count. */
export async function publishedYears(db: Db): Promise<{ year: number; departmentCode: string; department: string; version: number; items: number; publishedAt: Date }[]> {
  const rows = await db
    .selectDistinctOn([priorityListVersions.year, priorityListVersions.departmentCode], {
      year: priorityListVersions.year,
      departmentCode: priorityListVersions.departmentCode,
      department: priorityListVersions.department,
      version: priorityListVersions.version,
      items: sql<number>`jsonb_array_length(${priorityListVersions.items})`.mapWith(Number),
      publishedAt: priorityListVersions.publishedAt,
    })
    .from(priorityListVersions)
    .orderBy(desc(priorityListVersions.year), priorityListVersions.departmentCode, desc(priorityListVersions.version));
  return rows;
}
