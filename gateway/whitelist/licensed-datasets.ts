// What an operator's live licences grant: per dataset, the fields (with their registered types) and operations.
import { inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { getDataset, licenses, type FieldDefinition } from '../../store/index.ts';
import type { GatewayVerbContext } from '../verb-context.ts';

export interface LicensedDatasetView {
  licenseId: string;
  code: string;
  name: string;
  operations: string[];
  fields: Pick<FieldDefinition, 'name' | 'type' | 'description' | 'nullable'>[];
}

/** Throws FORBIDDEN for anyone but an operator. */
export async function listLicensedDatasets(ctx: GatewayVerbContext): Promise<LicensedDatasetView[]> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators hold licences');
  if (ctx.actor.licenses.length === 0) return [];
  const rows = await ctx.database.db.select().from(licenses).where(inArray(licenses.id, ctx.actor.licenses));
  const views: LicensedDatasetView[] = [];
  for (const licence of rows) {
    for (const grant of licence.datasets) {
      const dataset = await getDataset(ctx.database.db, grant.code).catch(() => undefined);
      if (!dataset) continue;
      const allowed = new Set(grant.fields);
      views.push({
        licenseId: licence.id,
        code: dataset.code,
        name: dataset.name,
        operations: grant.operations,
        // TODO(issue 4/5): present the masked schema from the masking policy instead of the registered types
        fields: dataset.fields.filter((f) => allowed.has(f.name)).map(({ name, type, description, nullable }) => ({ name, type, description, nullable })),
      });
    }
  }
  return views;
}
