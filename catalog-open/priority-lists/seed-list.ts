// Publishes a list on behalf of the platform (DEMO seeding), once: a list that already has a version is left alone.
import { and, eq } from 'drizzle-orm';
import { appendAudit, type Database } from '../../store/index.ts';
import { priorityListDrafts, priorityListVersions } from '../schema.ts';
import { listResource } from './access.ts';
import { checkLinkedDatasets, normalizeItems } from './items.ts';
import { publishDraft } from './publish-list.ts';
import { departmentName } from './queries.ts';
import type { PriorityListItemInput } from './schemas.ts';

/**
 * Returns the version published, or null when the list already had one. The system actor is not a steward, so no
 * Cedar question is asked: this runs only from the start-up seeding, never from a request.
 * Throws NOT_FOUND (unknown department), VALIDATION_FAILED (bad items).
 */
export async function seedPriorityList(
  database: Database,
  input: { year: number; departmentCode: string; items: PriorityListItemInput[]; seeder: string },
): Promise<number | null> {
  const db = database.db;
  const department = await departmentName(db, input.departmentCode);
  const items = normalizeItems({ items: input.items });
  await checkLinkedDatasets(db, items);
  const actor = { type: 'system' as const, id: input.seeder };
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ version: priorityListVersions.version })
      .from(priorityListVersions)
      .where(and(eq(priorityListVersions.year, input.year), eq(priorityListVersions.departmentCode, input.departmentCode)))
      .limit(1);
    if (existing.length > 0) return null;
    const updatedBy = `system:${input.seeder}`;
    await tx
      .insert(priorityListDrafts)
      .values({ year: input.year, departmentCode: input.departmentCode, department, items, updatedBy })
      .onConflictDoUpdate({ target: [priorityListDrafts.year, priorityListDrafts.departmentCode], set: { department, items, updatedBy, updatedAt: new Date() } });
    await appendAudit(tx, { actor, action: 'priority_list.draft_saved', resource: listResource(input.year, input.departmentCode), outcome: 'ok', details: { items: items.length } });
    const published = await publishDraft(tx, { year: input.year, departmentCode: input.departmentCode, changeNote: null, actor, publishedBy: updatedBy, ip: null, requestId: null });
    return published.version;
  });
}
