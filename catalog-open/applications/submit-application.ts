// Anyone applies for conditionally open data (有条件开放申请): one dataset, its fields, a purpose and a duration.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import type { PolicySet } from '../../policies/index.ts';
import { recordChange, type DatasetRecord } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { applications } from '../schema.ts';
import { requiredAccess } from './access-rule.ts';
import { parseInput } from './parse-input.ts';
import { publicDataset } from './public-dataset.ts';
import { fieldProblems } from './releasable.ts';
import { submitApplicationSchema } from './schemas.ts';
import { hashStatusToken, newStatusToken } from './status-token.ts';

function invalid(message: string, issues: { path: string; message: string }[]): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: { issues } });
}

/**
 * The dataset applied for, which must be conditionally open. Throws DATASET_NOT_FOUND for an unknown or not_open
 * code (the public catalog never shows not_open data, so neither does this answer), VALIDATION_FAILED.
 */
async function conditionalDataset(ctx: VerbContext, code: string): Promise<DatasetRecord> {
  const dataset = await publicDataset(ctx.database.db, code);
  if (dataset.openType === 'unconditional') {
    throw invalid('this dataset is open without conditions: download it directly, no application is needed', [
      { path: 'dataset', message: 'unconditionally open; use GET /open/datasets/{code}/download' },
    ]);
  }
  return dataset;
}

/**
 * Stores a pending application and returns its id and status token (shown once; only its SHA-256 is kept).
 * Throws VALIDATION_FAILED, DATASET_NOT_FOUND.
 */
export async function submitApplicationVerb(ctx: VerbContext, policies: PolicySet, input: unknown): Promise<{ id: string; statusToken: string }> {
  const a = parseInput(submitApplicationSchema, input, 'invalid application');
  const entry = a.datasets?.[0] ?? { code: a.dataset!, fields: a.fields! };
  const dataset = await conditionalDataset(ctx, entry.code);
  const { access, forced } = requiredAccess(a.access, dataset, entry.fields);
  if (access === 'sandbox' && a.applicant.type !== 'organization') {
    // a sandbox licence is held by a whitelisted operator: a person could never be granted one
    throw invalid('sandbox access is granted to organizations registered as operators only', [
      { path: 'applicant.type', message: forced ? 'this data may not leave the platform (sandbox only); apply as an organization' : 'sandbox access needs an organization' },
    ]);
  }
  const problems = fieldProblems(policies, dataset, entry.fields, access);
  if (problems.length) throw invalid('the application names fields that do not exist or are not released', problems);

  const id = `app_${randomUUID()}`;
  const statusToken = newStatusToken();
  await ctx.database.db.transaction(async (tx) => {
    await tx.insert(applications).values({
      id,
      datasetCode: dataset.code,
      fields: entry.fields,
      departmentCode: dataset.departmentCode,
      applicant: a.applicant,
      purpose: a.purpose,
      durationDays: a.durationDays,
      commitmentAcceptedAt: new Date(),
      statusTokenHash: hashStatusToken(statusToken),
      access,
      ipAllowlist: a.ipAllowlist ?? null,
    });
    // the applicant's identity and purpose stay in the application row; the audit names only what was applied for
    await recordChange(ctx, tx, 'open.application.submitted', `application:${id}`, { applicationId: id, dataset: dataset.code });
  });
  return { id, statusToken };
}
