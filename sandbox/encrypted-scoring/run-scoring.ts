// One encrypted-scoring run, server side: licence (Cedar: `encrypted-scoring` on every dataset and field), the
// bank's SEAL objects (never a secret key), the consenting enterprises' masked standardized features, Σ w_j ⊙ x_j
// under the bank's key plus flooding noise, the run counted against the licence and audited. Refusals are audited too.
import { randomUUID } from 'node:crypto';
import { ckksScoreColumns, sealBytesToBase64, serializeCiphertext } from '../../crypto/index.ts';
import { AppError, isAppError } from '../../errors/index.ts';
import { datasetEntity, type PolicySet } from '../../policies/index.ts';
import { appendAudit } from '../../store/index.ts';
import { checkDailyQuota, licenceWithRunsLeft, lockLicence, RUN_ACTIONS, type JobsContext } from '../jobs/index.ts';
import { checkFeatures, loadDatasets, parseFeature, readEnterpriseFeatures } from './features.ts';
import { SCORING_LIMITS, scoringRequestSchema, type ScoringRequest, type ScoringResponse } from './schemas.ts';
import { loadInputs, refuseSecretKeys, scoringContext } from './seal-inputs.ts';

export const SCORING_ACTION = RUN_ACTIONS.scoring;
const REFUSED_ACTION = 'scoring.refused';

export interface ScoringDeps {
  policies: PolicySet;
  /** the noise added to every score (default SCORING_LIMITS.noiseSd) */
  noiseSd?: number;
}

function refuse(reason: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new AppError('VALIDATION_FAILED', message, { details: { reason, ...extra } });
}

/**
 * Throws FORBIDDEN (not an operator; licence not the caller's or not live; a dataset unknown, not scorable or not
 * granted; Cedar deny on a field), VALIDATION_FAILED with details.reason (bad body, secret-key, unknown-feature,
 * feature-not-numeric, duplicate-enterprise, weight-count, malformed / wrong-kind / scheme-mismatch /
 * parameter-mismatch SEAL objects, too-few-enterprises), QUOTA_EXCEEDED, DATASET_NOT_FOUND. Each refusal by an
 * operator is audited (`scoring.refused`, code and reason only); only a counted, audited run returns scores.
 */
export async function runScoring(ctx: JobsContext, raw: ScoringRequest, deps: ScoringDeps): Promise<ScoringResponse> {
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators run encrypted scoring');
  const facts: Record<string, unknown> = {};
  try {
    return await score(ctx, actor.id, actor.licenses, raw, deps, facts);
  } catch (err) {
    if (isAppError(err)) {
      const reason = typeof err.details?.reason === 'string' ? err.details.reason : undefined;
      const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
      await ctx.database.db.transaction(async (tx) => {
        await appendAudit(tx, {
          actor: { type: 'operator', id: actor.id },
          action: REFUSED_ACTION,
          resource: typeof facts.licenseId === 'string' ? `license:${facts.licenseId}` : 'scoring',
          outcome: err.code === 'FORBIDDEN' ? 'deny' : 'error',
          ip: ctx.ip,
          requestId: ctx.requestId,
          // codes, names and counts only: never a key, a ciphertext or a feature value
          details: { code: err.code, ...(reason ? { reason } : {}), ...(field ? { field } : {}), ...facts },
        });
      });
    }
    throw err;
  }
}

async function score(ctx: JobsContext, operatorId: string, liveLicences: readonly string[], raw: ScoringRequest, deps: ScoringDeps, facts: Record<string, unknown>): Promise<ScoringResponse> {
  const parsed = scoringRequestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid encrypted-scoring request', {
      details: { reason: 'bad-body', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    });
  }
  const input = parsed.data;
  facts.licenseId = input.licenseId;
  facts.features = input.features;
  facts.enterpriseCount = input.enterprises.length;
  if (!liveLicences.includes(input.licenseId)) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');

  // the bank's objects first: a secret key is refused before anything else looks at the request
  const context = await scoringContext(input.params);
  refuseSecretKeys(context, input);

  const features = input.features.map(parseFeature);
  const dup = features.find((f, i) => features.findIndex((g) => g.name === f.name) !== i);
  if (dup) refuse('duplicate-feature', `feature ${dup.name} is listed twice`, { feature: dup.name });
  const seen = new Set<string>();
  for (const u of input.enterprises) {
    if (seen.has(u)) refuse('duplicate-enterprise', 'an enterprise is listed twice', { index: input.enterprises.indexOf(u, input.enterprises.indexOf(u) + 1) });
    seen.add(u);
  }

  const now = new Date();
  const datasets = await loadDatasets(ctx.database, features.map((f) => f.dataset));
  checkFeatures(features, datasets, deps.policies);
  for (const [code, ds] of datasets) {
    const fields = features.filter((f) => f.dataset === code).map((f) => f.field);
    await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(ds), context: { now, license: input.licenseId, fields, operations: ['encrypted-scoring'] } });
  }
  // refuse early, before any work; the count is taken again under the licence lock when the run is recorded
  const licence = await licenceWithRunsLeft(ctx.database.db, input.licenseId, operatorId, now);

  const loaded = loadInputs(context, input, features.length);
  try {
    const data = await readEnterpriseFeatures(ctx.database, deps.policies, datasets, features, input.enterprises, now);
    facts.foundCount = data.found.length;
    if (data.found.length < SCORING_LIMITS.minEnterprises) {
      refuse('too-few-enterprises', `encrypted scoring needs at least ${SCORING_LIMITS.minEnterprises} listed enterprises in the data; ${data.found.length} found`, {
        minimum: SCORING_LIMITS.minEnterprises,
        found: data.found.length,
      });
    }
    if (data.found.length > context.slotCount) refuse('too-many-enterprises', `at most ${context.slotCount} enterprises per run with ${context.preset}`);
    const columns = loaded.hasBias ? [...data.columns, new Float64Array(data.found.length).fill(1)] : data.columns;
    const noiseSd = deps.noiseSd ?? SCORING_LIMITS.noiseSd;
    const result = ckksScoreColumns(loaded.keys, loaded.weights, columns, { noiseSd });
    let scores: string;
    try {
      scores = sealBytesToBase64(serializeCiphertext(result));
    } finally {
      result.delete();
    }

    const runId = randomUUID();
    await ctx.database.db.transaction(async (tx) => {
      // the licence row lock serialises runs and job submissions under one licence (same lock as submitJob)
      await checkDailyQuota(tx, await lockLicence(tx, licence.id, operatorId), now);
      await appendAudit(tx, {
        actor: { type: 'operator', id: operatorId },
        action: SCORING_ACTION,
        resource: `license:${licence.id}`,
        outcome: 'ok',
        ip: ctx.ip,
        requestId: ctx.requestId,
        // names and counts only: never a weight, a key, a ciphertext, a feature value or an enterprise
        details: { runId, licenseId: licence.id, features: input.features, bias: loaded.hasBias, enterpriseCount: data.found.length, missingCount: data.missing.length, dataVersions: data.dataVersions, preset: context.preset, noiseSd },
      });
    });
    return {
      runId,
      scores,
      layout: { scheme: 'ckks', preset: context.preset, slots: context.slotCount, enterprises: data.found, noiseSd },
      missing: data.missing,
      standardization: data.standardization,
      dataVersions: data.dataVersions,
    };
  } finally {
    loaded.release();
  }
}
