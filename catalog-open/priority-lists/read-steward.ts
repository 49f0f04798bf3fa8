// Steward reads: every list with its draft and versions, and one list in full (items with their computed status).
// Drafts are internal working copies, not data: every staff member may read them; only Cedar decides who changes them.
import { and, desc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { VerbContext } from '../context.ts';
import { priorityListDrafts, priorityListVersions } from '../schema.ts';
import { demandSignalsVerb, type DemandSignal } from './demand-signals.ts';
import { presentItems, type PresentedItem } from './present.ts';
import { allVersions, catalogFacts, departmentName } from './queries.ts';
import { todayInChina } from './status.ts';

function staffOnly(ctx: VerbContext) {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only staff read priority-list drafts');
}

export interface ListSummary {
  year: number;
  departmentCode: string;
  department: string;
  draft: { items: number; updatedBy: string; updatedAt: string } | null;
  latestVersion: number | null;
  publishedAt: string | null;
}

/** Every (year, department) that has a draft or a published version, newest year first. Throws FORBIDDEN. */
export async function listPriorityListsVerb(ctx: VerbContext, filter: { year?: number | undefined }): Promise<{ items: ListSummary[] }> {
  staffOnly(ctx);
  const db = ctx.database.db;
  const drafts = await db
    .select({
      year: priorityListDrafts.year,
      departmentCode: priorityListDrafts.departmentCode,
      department: priorityListDrafts.department,
      items: sql<number>`jsonb_array_length(${priorityListDrafts.items})`.mapWith(Number),
      updatedBy: priorityListDrafts.updatedBy,
      updatedAt: priorityListDrafts.updatedAt,
    })
    .from(priorityListDrafts)
    .where(filter.year === undefined ? undefined : eq(priorityListDrafts.year, filter.year));
  const latest = await db
    .selectDistinctOn([priorityListVersions.year, priorityListVersions.departmentCode], {
      year: priorityListVersions.year,
      departmentCode: priorityListVersions.departmentCode,
      department: priorityListVersions.department,
      version: priorityListVersions.version,
      publishedAt: priorityListVersions.publishedAt,
    })
    .from(priorityListVersions)
    .where(filter.year === undefined ? undefined : eq(priorityListVersions.year, filter.year))
    .orderBy(priorityListVersions.year, priorityListVersions.departmentCode, desc(priorityListVersions.version));
  const byKey = new Map<string, ListSummary>();
  const at = (year: number, departmentCode: string, department: string) => {
    const key = `${year}/${departmentCode}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { year, departmentCode, department, draft: null, latestVersion: null, publishedAt: null }));
    return s;
  };
  for (const d of drafts) at(d.year, d.departmentCode, d.department).draft = { items: d.items, updatedBy: d.updatedBy, updatedAt: d.updatedAt.toISOString() };
  for (const v of latest) Object.assign(at(v.year, v.departmentCode, v.department), { latestVersion: v.version, publishedAt: v.publishedAt.toISOString() });
  const items = [...byKey.values()].sort((a, b) => b.year - a.year || a.departmentCode.localeCompare(b.departmentCode));
  return { items };
}

export interface ListDetail {
  year: number;
  departmentCode: string;
  department: string;
  draft: { items: PresentedItem[]; updatedBy: string; updatedAt: string } | null;
  versions: { version: number; changeNote: string | null; publishedBy: string; publishedAt: string; items: PresentedItem[] }[];
  /** demand signals of the department's datasets, to show beside the candidate items (match by datasetCode) */
  demand: DemandSignal[];
}

/** Throws FORBIDDEN, NOT_FOUND (unknown department, or neither draft nor version). */
export async function showPriorityListVerb(ctx: VerbContext, input: { year: number; departmentCode: string; now?: Date }): Promise<ListDetail> {
  staffOnly(ctx);
  const db = ctx.database.db;
  const department = await departmentName(db, input.departmentCode);
  const [draft] = await db
    .select()
    .from(priorityListDrafts)
    .where(and(eq(priorityListDrafts.year, input.year), eq(priorityListDrafts.departmentCode, input.departmentCode)));
  const versions = await allVersions(db, input.year, input.departmentCode);
  if (!draft && versions.length === 0) throw new AppError('NOT_FOUND', 'no priority list for this year and department');
  const facts = await catalogFacts(db, [...(draft?.items ?? []), ...versions.flatMap((v) => v.items)]);
  const today = todayInChina(input.now ?? new Date());
  const { items: demand } = await demandSignalsVerb(ctx, { departmentCode: input.departmentCode });
  return {
    year: input.year,
    departmentCode: input.departmentCode,
    department,
    draft: draft ? { items: presentItems(draft, facts, today), updatedBy: draft.updatedBy, updatedAt: draft.updatedAt.toISOString() } : null,
    versions: versions.map((v) => ({
      version: v.version,
      changeNote: v.changeNote,
      publishedBy: v.publishedBy,
      publishedAt: v.publishedAt.toISOString(),
      items: presentItems(v, facts, today),
    })),
    demand,
  };
}
