// Stewards publish the catalog metadata of their department's datasets: one verb, authorized and audited.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { catalogEntries } from '../schema.ts';
import { catalogEntryInputSchema } from './schemas.ts';
import { buildSearchText } from './search-text.ts';
import { showCatalogEntry } from './show-entry.ts';
import type { CatalogEntryView } from './types.ts';

function invalid(issues: { path: PropertyKey[]; message: string }[]): AppError {
  return new AppError('VALIDATION_FAILED', 'catalog entry is invalid', {
    details: { issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}

export interface UpsertResult {
  created: boolean;
  /** the public view, or null for a dataset that is not open (its entry is kept for the day it opens) */
  entry: CatalogEntryView | null;
}

/**
 * Creates or replaces the catalog entry of a dataset (Cedar: ManageDataset on it), with its audit entry in the same
 * transaction. Throws DATASET_NOT_FOUND, FORBIDDEN, VALIDATION_FAILED, CONFLICT (resource code used by another dataset).
 */
export async function upsertCatalogEntry(ctx: VerbContext, policies: PolicySet, code: string, input: unknown): Promise<UpsertResult> {
  const dataset = await getDataset(ctx.database.db, code);
  await ctx.authorize({
    action: 'ManageDataset',
    resource: datasetEntity({ code: dataset.code, department: dataset.department, openType: dataset.openType, grade: dataset.grade }),
  });
  const parsed = catalogEntryInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const v = parsed.data;
  const searchText = buildSearchText(dataset, v);
  const now = new Date();
  const values = {
    resourceCode: v.resourceCode,
    summary: v.summary,
    classification: v.classification,
    theme: v.theme,
    keywords: v.keywords,
    openConditions: v.openConditions,
    shareType: v.shareType,
    license: v.license,
    nextUpdateDue: v.nextUpdateDue,
    temporalStart: v.temporal.start,
    temporalEnd: v.temporal.end,
    spatial: v.spatial,
    searchText,
    modified: now,
    updatedAt: now,
  };
  const created = await ctx.database.db.transaction(async (tx) => {
    const taken = await tx
      .select({ code: catalogEntries.datasetCode })
      .from(catalogEntries)
      .where(eq(catalogEntries.resourceCode, v.resourceCode));
    if (taken.some((t) => t.code !== code)) {
      throw new AppError('CONFLICT', 'this resource code belongs to another dataset', { details: { issues: [{ path: 'resourceCode', message: 'already used' }] } });
    }
    const existing = await tx.select({ code: catalogEntries.datasetCode }).from(catalogEntries).where(eq(catalogEntries.datasetCode, code)).for('update');
    if (existing.length > 0) {
      await tx.update(catalogEntries).set(values).where(eq(catalogEntries.datasetCode, code));
    } else {
      // a concurrent first PUT of the same dataset becomes an update instead of a unique violation
      await tx.insert(catalogEntries).values({ datasetCode: code, issued: now, ...values }).onConflictDoUpdate({ target: catalogEntries.datasetCode, set: values });
    }
    await appendAudit(tx, {
      actor: { type: ctx.actor.type, id: ctx.actor.type === 'public' ? null : ctx.actor.id },
      action: existing.length > 0 ? 'catalog.entry.updated' : 'catalog.entry.created',
      resource: `dataset:${code}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { resourceCode: v.resourceCode, theme: v.theme, keywords: v.keywords.length, shareType: v.shareType },
    });
    return existing.length === 0;
  });
  const entry = dataset.openType === 'not_open' ? null : await showCatalogEntry(ctx.database, policies, code, now);
  return { created, entry };
}
