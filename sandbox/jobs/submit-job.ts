// Submits a job: the licence is checked (Cedar per dataset, daily quota, ε left), then the job is queued.
import { createHash, randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../errors/index.ts';
import { recordSubmitRefusal } from '../alerts/index.ts';
import { datasetEntity, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset } from '../../store/index.ts';
import { toNano } from '../dp/index.ts';
import { chargeBudgets } from './budget.ts';
import { jobs } from './schema.ts';
import { notifyWorkers } from './wake.ts';
import { isModelSpec, submitJobSchema, type SubmitJobInput } from './schemas.ts';
import type { JobsContext } from './context.ts';
import { checkOutputs, planPrivacy } from './privacy-plan.ts';
import { checkDailyQuota, checkDryRunQuota, lockLicence } from './quota.ts';
import { licenceGaps } from './licence-gaps.ts';

/**
 * Queues a job for the calling operator and charges its privacy budget (before any data is read: docs/jobs.md).
 * Throws FORBIDDEN (not an operator, licence not theirs or not live, Cedar deny: dataset, field or operation outside
 * the licence — the details say which — or an aggregate the dataset's rules do not allow), VALIDATION_FAILED (bad
 * input, or outputs that cannot be released as asked), QUOTA_EXCEEDED (maxJobsPerDay reached today, UTC, by jobs,
 * PSI and scoring runs together; dry runs: DRY_RUNS_PER_DAY, counted apart: see quota.ts), BUDGET_EXHAUSTED (ε over
 * what one job may spend, or more than the licence or the dataset's year has left; never for a dry run).
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
    if (!dataset || !policies.datasets.has(d.code)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset', { details: { dataset: d.code } });
    try {
      await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(dataset), context: { now, license: input.licenseId, fields: d.fields, operations } });
    } catch (err) {
      // say what the licence lacks: its own grants against the request (the operator holds the licence, nothing new)
      if (isAppError(err) && err.code === 'FORBIDDEN') throw new AppError('FORBIDDEN', err.message, { details: { ...(err.details ?? {}), ...(await licenceGaps(ctx.database.db, input.licenseId, d, operations)) } });
      throw err;
    }
    definitions.push(dataset);
  }
  // one dataset per job for now (schemas.ts): its rules decide the privacy plan and what outputs may be asked
  const [grant] = input.datasets;
  const rules = disclosureRules(policies, grant!.code);

  const id = randomUUID();
  await ctx.database.db.transaction(async (tx) => {
    // the licence row lock serialises every run under one licence, so two cannot both take the last quota slot
    const licence = await lockLicence(tx, input.licenseId, actor.id);
    const plan = planPrivacy(input.privacy, input.contribution, rules, licence.privacyEpsilon);
    checkOutputs(input.outputs, plan, rules);
    if (input.dryRun) await checkDryRunQuota(tx, licence.id, now);
    else await checkDailyQuota(tx, licence, now);
    const rhoNano = plan.mode === 'dp' && !input.dryRun ? toNano(plan.rho, 'up') : 0;
    if (rhoNano > 0) await chargeBudgets(tx, licence, grant!.code, rhoNano, rules, now);
    await tx.insert(jobs).values({
      id,
      operatorId: actor.id,
      licenseId: licence.id,
      datasets: input.datasets,
      code: input.code,
      codeSha256: createHash('sha256').update(input.code).digest('hex'),
      params: input.params,
      outputs: input.outputs,
      privacy: plan.mode === 'dp' ? { epsilon: plan.epsilon } : { none: true, justification: plan.justification },
      rhoNano,
      maxRowsPerContributor: plan.maxRows,
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
      details: { licenseId: licence.id, datasets: input.datasets, codeSha256: createHash('sha256').update(input.code).digest('hex'), epsilon: plan.mode === 'dp' ? plan.epsilon : null, dp: plan.mode === 'dp', rhoNano, outputs: input.outputs.length, dryRun: input.dryRun },
    });
    if (rhoNano > 0) {
      await appendAudit(tx, { actor: { type: 'operator', id: actor.id }, action: 'budget.charged', resource: `license:${licence.id}`, outcome: 'ok', ip: ctx.ip, requestId: ctx.requestId, details: { jobId: id, dataset: grant!.code, rhoNano } });
    }
    await notifyWorkers(tx);
  });
  return { id, status: 'queued' };
}
