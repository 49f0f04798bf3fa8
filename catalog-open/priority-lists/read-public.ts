// Public reads of the published lists: which years exist, and a year's latest versions with computed status.
import { AppError } from '../../errors/index.ts';
import type { Db } from '../../store/index.ts';
import { presentItems, type PresentedItem } from './present.ts';
import { catalogFacts, latestVersions, publishedYears } from './queries.ts';
import { todayInChina } from './status.ts';

export interface PublicYear {
  year: number;
  /** items across every department's latest version */
  items: number;
  departments: { departmentCode: string; department: string; version: number; items: number; publishedAt: string }[];
}

/** Years with a published list, newest first. */
export async function listPublicYears(db: Db): Promise<{ items: PublicYear[]; nextCursor: null }> {
  const rows = await publishedYears(db);
  const years = new Map<number, PublicYear>();
  for (const r of rows) {
    let y = years.get(r.year);
    if (!y) years.set(r.year, (y = { year: r.year, items: 0, departments: [] }));
    y.items += r.items;
    y.departments.push({ departmentCode: r.departmentCode, department: r.department, version: r.version, items: r.items, publishedAt: r.publishedAt.toISOString() });
  }
  return { items: [...years.values()], nextCursor: null };
}

export interface PublicList {
  departmentCode: string;
  department: string;
  version: number;
  changeNote: string | null;
  publishedAt: string;
  items: PresentedItem[];
}

export interface PublicYearLists {
  year: number;
  /** the day (China time) the statuses were computed for */
  asOf: string;
  departments: PublicList[];
}

/**
 * The latest published version of each department's list (or of one department) for a year.
 * Throws NOT_FOUND: no published list that year, or none of that department.
 */
export async function showPublicYear(db: Db, input: { year: number; departmentCode?: string | undefined; now?: Date }): Promise<PublicYearLists> {
  const versions = await latestVersions(db, input.year, input.departmentCode);
  if (versions.length === 0) {
    throw input.departmentCode
      ? new AppError('NOT_FOUND', 'no published priority list of this department for this year', { details: { parameter: 'department' } })
      : new AppError('NOT_FOUND', 'no published priority list for this year', { details: { parameter: 'year' } });
  }
  const facts = await catalogFacts(db, versions.flatMap((v) => v.items));
  const asOf = todayInChina(input.now ?? new Date());
  return {
    year: input.year,
    asOf,
    departments: versions.map((v) => ({
      departmentCode: v.departmentCode,
      department: v.department,
      version: v.version,
      changeNote: v.changeNote,
      publishedAt: v.publishedAt.toISOString(),
      items: presentItems(v, facts, asOf),
    })),
  };
}
