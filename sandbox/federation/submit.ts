// Submitting a federated job on the coordinating node: the operator's licence must grant the `federated` operation on
// the dataset and fields (Cedar SubmitJob), the parties must be this node and pinned peers; then the round runs and
// the total goes through disclosure control here, once.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, type PolicySet } from '../../policies/index.ts';
import { getDataset } from '../../store/index.ts';
import { licenceWithRunsLeft, type JobsContext } from '../jobs/index.ts';
import type { AuditSink } from './audit.ts';
import { runRound, type RoundCall } from './coordinator.ts';
import { releaseTotals, type FederatedRelease } from './release.ts';
import { federatedJobSchema } from './spec.ts';
import type { RandomSource } from '../dp/index.ts';

export const submitFederatedSchema = z
  .object({
    licenseId: z.string().min(1).max(100),
    job: federatedJobSchema,
    /** node ids of the other participating nodes (this node always takes part) */
    nodes: z.array(z.string().min(1).max(64)).min(1).max(99),
    /** Shamir threshold t: the round survives up to (parties − t) dropouts; default: a strict majority */
    threshold: z.number().int().min(2).optional(),
    privacy: z.object({ epsilon: z.number().positive().max(10) }).strict().optional(),
  })
  .strict();
export type SubmitFederatedInput = z.infer<typeof submitFederatedSchema>;

export interface SubmitFederatedDeps {
  nodeId: string;
  policies: PolicySet;
  isPeer: (id: string) => boolean;
  /** this node's audit log (group-committed appends) */
  audit: AuditSink;
  /** the transport of one round (gateway/federation/node.ts) */
  call: (roundId: string) => RoundCall;
  /**
   * TESTS ONLY — never set by a route: observe the unmasked total before disclosure control, wrap the transport, seed
   * the noise. Production code paths pass nothing here.
   */
  testHooks?: { unmaskedTotals?: (totals: Float64Array, survivors: readonly string[]) => void; wrapCall?: (call: RoundCall) => RoundCall; rng?: RandomSource };
}

/**
 * Throws FORBIDDEN (not an operator, licence not theirs, Cedar deny), VALIDATION_FAILED (unknown node, bad threshold),
 * CONFLICT too-few-parties (the round could not finish; nothing released). A refusal by the checks is a result.
 */
export async function submitFederatedJob(ctx: JobsContext, raw: unknown, deps: SubmitFederatedDeps): Promise<FederatedRelease> {
  const input = submitFederatedSchema.parse(raw);
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators submit federated jobs');
  if (!actor.licenses.includes(input.licenseId)) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');
  const { job } = input;
  const dataset = await getDataset(ctx.database.db, job.dataset).catch(() => undefined);
  if (!dataset || !deps.policies.datasets.has(job.dataset)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset');
  await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(dataset), context: { now: new Date(), license: input.licenseId, fields: job.fields, operations: ['federated'] } });
  // refused early when today's runs are used up; the round is counted when its release is recorded
  const licence = await licenceWithRunsLeft(ctx.database.db, input.licenseId, actor.id, new Date());

  const others = [...new Set(input.nodes)].filter((n) => n !== deps.nodeId);
  const unknown = others.filter((n) => !deps.isPeer(n));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'a named node is not a pinned peer of this node', { details: { reason: 'unknown-node', nodes: unknown } });
  const parties = [deps.nodeId, ...others];
  const threshold = input.threshold ?? Math.floor(parties.length / 2) + 1;
  if (threshold > parties.length) throw new AppError('VALIDATION_FAILED', `threshold cannot exceed the ${parties.length} parties`, { details: { reason: 'bad-threshold' } });

  const roundId = randomBytes(16).toString('base64url');
  const base = deps.call(roundId);
  const call = deps.testHooks?.wrapCall ? deps.testHooks.wrapCall(base) : base;
  const sum = await runRound({ roundId, parties, threshold, bits: 32, job }, { nodeId: deps.nodeId, audit: (e) => deps.audit({ ...e, ip: ctx.ip, requestId: ctx.requestId }), call });
  deps.testHooks?.unmaskedTotals?.(sum.totals, sum.survivors);
  return releaseTotals(sum, {
    database: ctx.database,
    policies: deps.policies,
    nodeId: deps.nodeId,
    licenseId: licence.id,
    operatorId: actor.id,
    ...(input.privacy ? { epsilon: input.privacy.epsilon } : {}),
    ...(deps.testHooks?.rng ? { rng: deps.testHooks.rng } : {}),
  });
}
