// PUT /steward/priority-lists/{year}/{department}: replaces the department's draft for the year.
import { appendAudit } from '../../store/index.ts';
import { actorLabel } from '../../policies/index.ts';
import type { VerbContext } from '../context.ts';
import { priorityListDrafts, type PriorityListItem } from '../schema.ts';
import { auditActor, authorizeList, listResource } from './access.ts';
import { checkLinkedDatasets, normalizeItems } from './items.ts';

export interface DraftRecord {
  year: number;
  departmentCode: string;
  department: string;
  items: PriorityListItem[];
  updatedBy: string;
  updatedAt: string;
}

/** Throws NOT_FOUND (unknown department), FORBIDDEN, VALIDATION_FAILED (bad items, unknown datasetCode). */
export async function savePriorityDraftVerb(ctx: VerbContext, input: { year: number; departmentCode: string; body: unknown }): Promise<DraftRecord> {
  const { year, departmentCode } = input;
  const db = ctx.database.db;
  const department = await authorizeList(ctx, db, year, departmentCode);
  const items = normalizeItems(input.body);
  await checkLinkedDatasets(db, items);
  const updatedBy = actorLabel(ctx.actor);
  const updatedAt = new Date();
  await db.transaction(async (tx) => {
    await tx
      .insert(priorityListDrafts)
      .values({ year, departmentCode, department, items, updatedBy, updatedAt })
      .onConflictDoUpdate({ target: [priorityListDrafts.year, priorityListDrafts.departmentCode], set: { department, items, updatedBy, updatedAt } });
    await appendAudit(tx, {
      actor: auditActor(ctx),
      action: 'priority_list.draft_saved',
      resource: listResource(year, departmentCode),
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { items: items.length },
    });
  });
  return { year, departmentCode, department, items, updatedBy, updatedAt: updatedAt.toISOString() };
}
