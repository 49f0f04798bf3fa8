// What an operator's live licences grant: per dataset, the fields as the sandbox will deliver them (masked schema).
import { inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { maskerFor, type PolicySet } from '../../policies/index.ts';
import { getDataset, licenses } from '../../store/index.ts';
import type { GatewayVerbContext } from '../verb-context.ts';

export interface LicensedField {
  name: string;
  /** the type after masking, e.g. a birth date generalised to a year becomes an integer */
  type: string;
  description: string;
  nullable: boolean;
  /** what the masked value keeps of the original, in one line */
  keeps: string;
}

export interface LicensedDatasetView {
  licenseId: string;
  code: string;
  name: string;
  operations: string[];
  fields: LicensedField[];
}

/** Only the schema is wanted here: any key yields the same masked types, and no value is ever masked with it. */
const SCHEMA_ONLY = { pseudonymKey: new Uint8Array(32), asOf: '2000-01-01' };

/** Throws FORBIDDEN for anyone but an operator. Datasets without a policy are left out: nothing may use them. */
export async function listLicensedDatasets(ctx: GatewayVerbContext, policies: PolicySet): Promise<LicensedDatasetView[]> {
  if (ctx.actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators hold licences');
  if (ctx.actor.licenses.length === 0) return [];
  const rows = await ctx.database.db.select().from(licenses).where(inArray(licenses.id, ctx.actor.licenses));
  const views: LicensedDatasetView[] = [];
  for (const licence of rows) {
    for (const grant of licence.datasets) {
      const dataset = await getDataset(ctx.database.db, grant.code).catch(() => undefined);
      if (!dataset || !policies.datasets.has(dataset.code)) continue;
      const allowed = new Set(grant.fields);
      const masked = maskerFor(policies, dataset, 'sandbox', SCHEMA_ONLY).fields;
      views.push({
        licenseId: licence.id,
        code: dataset.code,
        name: dataset.name,
        operations: grant.operations,
        fields: masked
          .filter((f) => allowed.has(f.name))
          .map(({ name, type, description, nullable, keeps }) => ({ name, type, description, nullable, keeps })),
      });
    }
  }
  return views;
}
