// One PSI run, server side: licence checked (Cedar: the `psi` operation on the dataset and field), quota counted,
// the operator's blinded points raised to a fresh b, the field's hashed identifiers blinded with b and shuffled.
import { randomUUID } from 'node:crypto';
import { psi } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset } from '../../store/index.ts';
import { checkDailyQuota, licenceWithRunsLeft, lockLicence, RUN_ACTIONS, type JobsContext } from '../jobs/index.ts';
import { psiRequestSchema, PSI_LIMITS, type PsiRequest, type PsiResponse } from './schemas.ts';
import { serverPoints, type PsiPointCache } from './server-points.ts';

/** points multiplied between yields to the event loop: one run must not stall other requests for seconds */
const CHUNK = 512;

export interface PsiDeps {
  policies: PolicySet;
  cache: PsiPointCache;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function multiplyAll(key: psi.PsiKey, points: readonly Uint8Array[]): Promise<string[]> {
  const out = new Array<string>(points.length);
  for (let i = 0; i < points.length; i++) {
    if (i % CHUNK === 0 && i) await yieldToLoop();
    out[i] = psi.encodePoint(key.multiply(points[i]!, i));
  }
  return out;
}

async function blindServerSet(key: psi.PsiKey, hashed: Uint8Array): Promise<string[]> {
  const n = hashed.length / psi.PSI_POINT_BYTES;
  const out = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    if (j % CHUNK === 0 && j) await yieldToLoop();
    out[j] = psi.encodePoint(key.multiply(hashed.subarray(j * psi.PSI_POINT_BYTES, (j + 1) * psi.PSI_POINT_BYTES)));
  }
  return psi.shuffleInPlace(out);
}

/**
 * Throws FORBIDDEN (not an operator, licence not theirs or not live, dataset unknown or not granted, Cedar deny: no
 * `psi` on the dataset and field), VALIDATION_FAILED (bad body, malformed or low-order point: reason and index only;
 * fewer than PSI_LIMITS.minList distinct points: reason list-too-small), QUOTA_EXCEEDED, DATASET_NOT_FOUND
 * (no data loaded), FIELD_NOT_FOUND. Only a run that was counted and audited returns an answer.
 */
export async function runPsi(ctx: JobsContext, raw: PsiRequest, deps: PsiDeps): Promise<PsiResponse> {
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators run list matching');
  const parsed = psiRequestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid list-matching request', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  }
  const input = parsed.data;
  if (!actor.licenses.includes(input.licenseId)) throw new AppError('FORBIDDEN', 'this licence is not live for the caller');

  // decode first: a malformed point is the caller's mistake whatever the licence says, and costs nothing to find
  const points = input.blinded.map((text, i) => psi.decodePoint(text, i));
  const distinct = new Set(input.blinded).size;
  if (distinct < PSI_LIMITS.minList) {
    throw new AppError('VALIDATION_FAILED', `list matching needs at least ${PSI_LIMITS.minList} distinct identifiers`, { details: { scheme: 'psi', reason: 'list-too-small', minimum: PSI_LIMITS.minList, received: distinct } });
  }

  const now = new Date();
  const dataset = await getDataset(ctx.database.db, input.dataset).catch(() => undefined);
  // unknown and unlicensed look the same to the operator: both are refused by the licence
  if (!dataset || !deps.policies.datasets.has(input.dataset)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset');
  await ctx.authorize({ action: 'SubmitJob', resource: datasetEntity(dataset), context: { now, license: input.licenseId, fields: [input.field], operations: ['psi'] } });

  // refuse early, before any work; the count is taken again under the licence lock when the run is recorded
  const licence = await licenceWithRunsLeft(ctx.database.db, input.licenseId, actor.id, now);

  const server = await serverPoints(ctx.database, deps.cache, input.dataset, input.field);
  const key = psi.PsiKey.generate();
  const blinded = await multiplyAll(key, points);
  const serverSet = await blindServerSet(key, server.hashed);

  const runId = randomUUID();
  await ctx.database.db.transaction(async (tx) => {
    // the licence row lock serialises runs and job submissions under one licence (same lock as submitJob)
    await checkDailyQuota(tx, await lockLicence(tx, licence.id, actor.id), now);
    await appendAudit(tx, {
      actor: { type: 'operator', id: actor.id },
      action: RUN_ACTIONS.psi,
      resource: `license:${licence.id}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      // sizes only: never an identifier, a point or a key
      details: { runId, licenseId: licence.id, dataset: input.dataset, field: input.field, dataVersion: server.version, listSize: points.length, serverSetSize: server.size, hashVersion: psi.PSI_HASH_VERSION },
    });
  });
  return {
    runId,
    dataset: input.dataset,
    field: input.field,
    dataVersion: server.version,
    hashVersion: psi.PSI_HASH_VERSION,
    listSize: points.length,
    serverSetSize: server.size,
    blinded,
    serverSet,
  };
}
