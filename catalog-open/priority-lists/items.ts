// Turns validated draft input into stored items: 序号 renumbered 1..n, empty optionals dropped; checks linked datasets.
import { inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { schema, type Db } from '../../store/index.ts';
import type { PriorityListItem } from '../schema.ts';
import { saveDraftSchema } from './schemas.ts';

const issuesOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/**
 * Validates a draft body. `seq` is given on every item or on none; given, it must be unique and orders the list,
 * which is then renumbered 1..n so a published list never has gaps. Throws VALIDATION_FAILED.
 */
export function normalizeItems(body: unknown): PriorityListItem[] {
  const parsed = saveDraftSchema.safeParse(body);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'invalid priority list', { details: { issues: issuesOf(parsed.error.issues) } });
  const items = parsed.data.items;
  const withSeq = items.filter((i) => i.seq !== undefined).length;
  if (withSeq !== 0 && withSeq !== items.length) {
    throw new AppError('VALIDATION_FAILED', 'seq must be given on every item or on none', { details: { issues: [{ path: 'items.seq', message: 'given on some items only' }] } });
  }
  if (withSeq > 0) {
    const seen = new Map<number, number>();
    const duplicates = items.flatMap((item, i) => {
      const first = seen.get(item.seq!);
      seen.set(item.seq!, i);
      return first === undefined ? [] : [{ path: `items.${i}.seq`, message: `duplicate of items.${first}.seq` }];
    });
    if (duplicates.length > 0) throw new AppError('VALIDATION_FAILED', 'seq must be unique', { details: { issues: duplicates } });
  }
  const ordered = withSeq > 0 ? [...items].sort((a, b) => a.seq! - b.seq!) : items;
  return ordered.map((item, i) => {
    const out: PriorityListItem = {
      seq: i + 1,
      theme: item.theme,
      name: item.name,
      summary: item.summary,
      openType: item.openType,
      accessMethods: item.accessMethods,
      formats: item.formats,
      updateCycle: item.updateCycle,
      plannedDate: item.plannedDate,
      demandSource: item.demandSource,
      datasetCode: item.datasetCode ?? null,
    };
    if (item.note) out.note = item.note;
    return out;
  });
}

/** Throws VALIDATION_FAILED naming each item whose datasetCode is not a registered dataset. */
export async function checkLinkedDatasets(db: Db, items: readonly PriorityListItem[]): Promise<void> {
  const codes = [...new Set(items.map((i) => i.datasetCode).filter((c): c is string => !!c))];
  if (codes.length === 0) return;
  const found = new Set(
    (await db.select({ code: schema.datasets.code }).from(schema.datasets).where(inArray(schema.datasets.code, codes))).map((r) => r.code),
  );
  const issues = items.flatMap((item, i) =>
    item.datasetCode && !found.has(item.datasetCode) ? [{ path: `items.${i}.datasetCode`, message: 'no such dataset' }] : [],
  );
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'an item links a dataset that is not registered', { details: { issues } });
}
