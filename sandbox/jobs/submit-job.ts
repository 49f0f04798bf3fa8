// Submits a job: the licence is checked (Cedar per dataset, daily quota, ε left), then the job is queued.
import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import { AppError, isAppError } from '../../errors/index.ts';
import { recordSubmitRefusal } from '../alerts/index.ts';
import { datasetEntity, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset, licenses, schema } from '../../store/index.ts';
import { budgetLedger, jobs } from './schema.ts';
import { submitJobSchema, type SubmitJobInput } from './schemas.ts';
import type { JobsContext } from './context.ts';
import { licenceCaps } from './budget-caps.ts';

const { auditLog } = schema;

const DAY_MS = 86_400_000;
/** Dry runs per licence and UTC day: they read synthetic data only, so a generous fixed quota of their own. */
export const DRY_RUNS_PER_DAY = 100;

/**
 * Queues a job for the calling operator. Throws FORBIDDEN (not an operator, licence not theirs or not live, Cedar
 * deny: dataset, field or operation outside the licence), VALIDATION_FAILED (bad input), QUOTA_EXCEEDED
 * (maxJobsPerDay reached today, UTC; dry runs: DRY_RUNS_PER_DAY, counted apart), BUDGET_EXHAUSTED (ε asked exceeds
 * what is left; never for a dry run, which spends none).
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
  const operation = 'aggregate' as const;
  const now = new Date();

  const definitions = [];
  for (const d of input.datasets) {
    const dataset = await getDataset(ctx.database.db, d.code).catch(() => undefined);
    // unknown and unlicensed look the same to the operator: both are refused by the licence
    if (!dataset || !policies.datasets.has(d.code)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset');
    await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(dataset), context: { now, license: input.licenseId, fields: d.fields, operations: [operation] } });
    definitions.push(dataset);
  }

  const id = randomUUID();
  await ctx.database.db.transaction(async (tx) => {
    // the licence row lock serialises submissions under one licence, so two cannot both take the last quota slot
    const [licence] = await tx.select().from(licenses).where(eq(licenses.id, input.licenseId)).for('update');
    if (!licence || licence.operatorId !== actor.id) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');
    const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    const [today] = await tx
      .select({ n: count() })
      .from(jobs)
      .where(and(eq(jobs.licenseId, licence.id), gte(jobs.createdAt, dayStart), eq(jobs.dryRun, input.dryRun)));
    // PSI runs share the licence's daily quota with jobs (sandbox/psi audits each run as `psi.run`)
    const [psiRuns] = input.dryRun
      ? [{ n: 0 }]
      : await tx
          .select({ n: count() })
          .from(auditLog)
          .where(and(eq(auditLog.action, 'psi.run'), eq(auditLog.resource, `license:${licence.id}`), gte(auditLog.at, dayStart)));
    const quota = input.dryRun ? DRY_RUNS_PER_DAY : licence.maxJobsPerDay;
    if ((today?.n ?? 0) + (psiRuns?.n ?? 0) >= quota) {
      const retryAfterSeconds = Math.ceil((dayStart.getTime() + DAY_MS - now.getTime()) / 1000);
      const details = input.dryRun ? { dryRunsPerDay: quota, retryAfterSeconds } : { maxJobsPerDay: quota, retryAfterSeconds };
      throw new AppError('QUOTA_EXCEEDED', `the licence has used its ${input.dryRun ? 'dry runs' : 'jobs'} for today`, { details });
    }
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
