// Submits a job: the licence is checked (Cedar per dataset, daily quota, ε left), then the job is queued.
import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset, licenses } from '../../store/index.ts';
import { budgetLedger, jobs } from './schema.ts';
import { submitJobSchema, type SubmitJobInput } from './schemas.ts';
import type { JobsContext } from './context.ts';
import { licenceCaps } from './budget-caps.ts';

const DAY_MS = 86_400_000;

/**
 * Queues a job for the calling operator. Throws FORBIDDEN (not an operator, licence not theirs or not live, Cedar
 * deny: dataset, field or operation outside the licence), VALIDATION_FAILED (bad input, dry runs not yet supported),
 * QUOTA_EXCEEDED (maxJobsPerDay reached today, UTC), BUDGET_EXHAUSTED (ε asked exceeds what is left).
 */
export async function submitJob(ctx: JobsContext, raw: SubmitJobInput, policies: PolicySet): Promise<{ id: string; status: 'queued' }> {
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators submit jobs');
  const parsed = submitJobSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid job', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  }
  const input = parsed.data;
  if (input.dryRun) throw new AppError('VALIDATION_FAILED', 'dry runs are not supported yet');
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
    const [today] = await tx.select({ n: count() }).from(jobs).where(and(eq(jobs.licenseId, licence.id), gte(jobs.createdAt, dayStart)));
    if ((today?.n ?? 0) >= licence.maxJobsPerDay) {
      const retryAfterSeconds = Math.ceil((dayStart.getTime() + DAY_MS - now.getTime()) / 1000);
      throw new AppError('QUOTA_EXCEEDED', 'the licence has used its jobs for today', { details: { maxJobsPerDay: licence.maxJobsPerDay, retryAfterSeconds } });
    }
    if (input.privacy) {
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
    });
    await appendAudit(tx, {
      actor: { type: 'operator', id: actor.id },
      action: 'job.submitted',
      resource: `job:${id}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { licenseId: licence.id, datasets: input.datasets, codeSha256: createHash('sha256').update(input.code).digest('hex'), epsilon: input.privacy?.epsilon ?? null, outputs: input.outputs.length },
    });
  });
  return { id, status: 'queued' };
}
