// Security staff grant, change and revoke licences (授权): scope, validity, IP allowlist, budget and quota.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { getDataset, licenses, recordChange, type Db } from '../../store/index.ts';
import type { GatewayVerbContext } from '../verb-context.ts';
import { loadOperator, requireWhitelistRight } from './operators.ts';
import type { ChangeLicenseInput, GrantLicenseInput } from './schemas.ts';
import { licenseView, type LicenseView } from './views.ts';

/** Every licensed dataset must be registered and every licensed field must exist in it. */
async function checkScope(db: Db, datasets: GrantLicenseInput['datasets']) {
  const problems: { path: string; message: string }[] = [];
  for (const [i, entry] of datasets.entries()) {
    const dataset = await getDataset(db, entry.code).catch(() => undefined);
    if (!dataset) {
      problems.push({ path: `datasets.${i}.code`, message: 'no dataset with this code is registered' });
      continue;
    }
    const known = new Set(dataset.fields.map((f) => f.name));
    for (const field of entry.fields) {
      if (!known.has(field)) problems.push({ path: `datasets.${i}.fields`, message: `dataset has no field "${field}"` });
    }
  }
  if (new Set(datasets.map((d) => d.code)).size !== datasets.length) problems.push({ path: 'datasets', message: 'a dataset is listed twice' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'the licence scope names unknown datasets or fields', { details: { issues: problems } });
}

async function loadLicense(db: Db, id: string) {
  const [row] = await db.select().from(licenses).where(eq(licenses.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'no licence with this id');
  return row;
}

/** Throws FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT (operator revoked). */
export async function grantLicense(ctx: GatewayVerbContext, operatorId: string, input: GrantLicenseInput): Promise<LicenseView> {
  await requireWhitelistRight(ctx);
  return ctx.database.db.transaction(async (tx) => {
    const operator = await loadOperator(tx, operatorId);
    if (operator.status === 'revoked') throw new AppError('CONFLICT', 'the operator is revoked');
    await checkScope(tx, input.datasets);
    const [row] = await tx
      .insert(licenses)
      .values({
        id: `lic_${randomUUID()}`,
        operatorId,
        scenario: input.scenario,
        datasets: input.datasets.map((d) => ({ code: d.code, fields: [...new Set(d.fields)], operations: [...new Set(d.operations)] })),
        validFrom: new Date(input.validFrom),
        validTo: new Date(input.validTo),
        ipAllowlist: input.ipAllowlist,
        privacyEpsilon: input.privacyBudget.epsilon,
        maxJobsPerDay: input.maxJobsPerDay,
      })
      .returning();
    const after = licenseView(row!);
    await recordChange(ctx, tx, 'whitelist.license.granted', `license:${after.id}`, { operatorId, before: null, after });
    return after;
  });
}

/** Change validity, allowlist, quota or budget, or suspend / reinstate / revoke (final). Throws FORBIDDEN, NOT_FOUND, CONFLICT. */
export async function changeLicense(ctx: GatewayVerbContext, id: string, patch: ChangeLicenseInput): Promise<LicenseView> {
  await requireWhitelistRight(ctx);
  return ctx.database.db.transaction(async (tx) => {
    const beforeRow = await loadLicense(tx, id);
    if (beforeRow.status === 'revoked') throw new AppError('CONFLICT', 'a revoked licence cannot be changed; grant a new one');
    if (patch.validTo && Date.parse(patch.validTo) <= beforeRow.validFrom.getTime()) {
      throw new AppError('VALIDATION_FAILED', 'validTo must be after validFrom', { details: { issues: [{ path: 'validTo', message: 'before validFrom' }] } });
    }
    const [row] = await tx
      .update(licenses)
      .set({
        ...(patch.status ? { status: patch.status, statusReason: patch.reason ?? null } : {}),
        ...(patch.validTo ? { validTo: new Date(patch.validTo) } : {}),
        ...(patch.ipAllowlist ? { ipAllowlist: patch.ipAllowlist } : {}),
        ...(patch.maxJobsPerDay ? { maxJobsPerDay: patch.maxJobsPerDay } : {}),
        ...(patch.privacyBudget ? { privacyEpsilon: patch.privacyBudget.epsilon } : {}),
        updatedAt: new Date(),
      })
      .where(eq(licenses.id, id))
      .returning();
    const before = licenseView(beforeRow);
    const after = licenseView(row!);
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof LicenseView)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && k !== 'updatedAt')
        .map((k) => [k, { before: before[k], after: after[k] }]),
    );
    await recordChange(ctx, tx, patch.status ? `whitelist.license.${patch.status === 'active' ? 'reinstated' : patch.status}` : 'whitelist.license.changed', `license:${id}`, {
      operatorId: after.operatorId,
      reason: patch.reason ?? null,
      changed,
    });
    return after;
  });
}
