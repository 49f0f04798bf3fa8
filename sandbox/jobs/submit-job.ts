// Submits a job: the licence is checked (Cedar per dataset, daily quota, ε left), then the job is queued.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { AppError, isAppError } from '../../errors/index.ts';
import { recordSubmitRefusal } from '../alerts/index.ts';
import { datasetEntity, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset } from '../../store/index.ts';
import { budgetLedger, jobs } from './schema.ts';
import { isModelSpec, submitJobSchema, type SubmitJobInput } from './schemas.ts';
import type { JobsContext } from './context.ts';
import { licenceCaps } from './budget-caps.ts';
import { checkDailyQuota, checkDryRunQuota, lockLicence } from './quota.ts';

/**
 * Queues a job for the calling operator. Throws FORBIDDEN (not an operator, licence not theirs or not live, Cedar
 * deny: dataset, field or operation outside the licence), VALIDATION_FAILED (bad input), QUOTA_EXCEEDED
 * (maxJobsPerDay reached today, UTC, by jobs, PSI and scoring runs together; dry runs: DRY_RUNS_PER_DAY, counted
 * apart: see quota.ts), BUDGET_EXHAUSTED (ε asked exceeds what is left; never for a dry run, which spends none).
 */
export async function submitJob(ctx: JobsContext, raw: SubmitJobInput, policies: PolicySet): Promise<{ id: string; status: 'queued' }> {
  try {
    return await checkAndQueue(ctx, raw, policies);
  } catch (err) {
    // refusals by the licence count towards high-risk alerts (bursts over quota, repeated refusals)
    if (isAppError(err) && ctx.actor.type === 'operator') await recordSubmitRefusal(ctx.database, { operatorId: ctx.actor.id, code: err.code, ip: ctx.ip, requestId: ctx.requestId });
    throw err;
  }
}

async function checkAndQueue(ctx: JobsContext, raw: SubmitJobInput, policies: PolicySet): Promise<{ id: string; status: 'queued' }> {
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators submit jobs');
  const parsed = submitJobSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid job', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  }
  const input = parsed.data;
  // the licence must be one the actor's token carries and the gateway found live (requireOperator)
  if (!actor.licenses.includes(input.licenseId)) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');
  // a declared model is the licence operation `model`; tables (and the default count) are `aggregate`
  const operations = input.outputs.length === 0 ? ['aggregate' as const] : [...new Set(input.outputs.map((o) => (isModelSpec(o) ? ('model' as const) : ('aggregate' as const))))];
  const operation = operations.includes('model') ? 'model' : 'aggregate';
  const now = new Date();

  const definitions = [];
  for (const d of input.datasets) {
    const dataset = await getDataset(ctx.database.db, d.code).catch(() => undefined);
    // unknown and unlicensed look the same to the operator: both are refused by the licence
    if (!dataset || !policies.datasets.has(d.code)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset');
    await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(dataset), context: { now, license: input.licenseId, fields: d.fields, operations } });
    definitions.push(dataset);
  }

  const id = randomUUID();
  await ctx.database.db.transaction(async (tx) => {
    // the licence row lock serialises every run under one licence, so two cannot both take the last quota slot
    const licence = await lockLicence(tx, input.licenseId, actor.id);
    if (input.dryRun) await checkDryRunQuota(tx, licence.id, now);
    else await checkDailyQuota(tx, licence, now);
    if (input.privacy && !input.dryRun) {
      const codes = input.datasets.map((d) => d.code);
      const accounts = await tx.select().from(budgetLedger).where(and(eq(budgetLedger.licenseId, licence.id), inArray(budgetLedger.dataset, codes)));
      for (const d of input.datasets) {
        const caps = licenceCaps(licence.privacyEpsilon, disclosureRules(policies, d.code, d.fields));
        const spent = accounts.find((a) => a.dataset === d.code)?.spentMicro ?? 0;
        const remaining = Math.max(0, Math.floor(caps.perLicence * 1e6) - spent) / 1e6;
        if (input.privacy.epsilon > caps.perJob) throw new AppError('BUDGET_EXHAUSTED', 'ε exceeds what one job may spend', { details: { dataset: d.code, epsilonPerJob: caps.perJob } });
        if (input.privacy.epsilon > remaining) throw new AppError('BUDGET_EXHAUSTED', 'ε exceeds the budget left', { details: { dataset: d.code, remaining } });
      }
    }
    await tx.insert(jobs).values({
      id,
      operatorId: actor.id,
      licenseId: licence.id,
      datasets: input.datasets,
      code: input.code,
      codeSha256: createHash('sha256').update(input.code).digest('hex'),
      params: input.params,
      outputs: input.outputs,
      privacy: input.privacy ?? null,
      operation,
      dryRun: input.dryRun,
    });
    await appendAudit(tx, {
      actor: { type: 'operator', id: actor.id },
      action: 'job.submitted',
      resource: `job:${id}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { licenseId: licence.id, datasets: input.datasets, codeSha256: createHash('sha256').update(input.code).digest('hex'), epsilon: input.privacy?.epsilon ?? null, outputs: input.outputs.length, dryRun: input.dryRun },
    });
  });
  return { id, status: 'queued' };
}
