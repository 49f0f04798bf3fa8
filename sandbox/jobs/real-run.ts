// A real run: a preflight on synthetic rows (its failures may be told in full: no data was read), the licensed masked
// columns, the model under confinement (partitioned runs and the row-locality check), then the release — under DP
// unless the job asked for none. What reaches the operator is a fixed code per outcome and the release: never a line,
// an exception class, a memory or CPU figure (docs/disclosure-control.md, "Side channels").
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isAppError } from '../../errors/index.ts';
import { datasetPolicy, derivePseudonymKey, disclosureRules, type PolicySet } from '../../policies/index.ts';
import type { licenses } from '../../store/index.ts';
import { runSharded } from '../confinement/index.ts';
import { releaseRecord, type ReleasedCellRecord } from '../disclosure/index.ts';
import { NANO } from '../dp/index.ts';
import { sketchFromBytes } from '../reduce/index.ts';
import type { JobRow } from './claim-job.ts';
import type { JobOutcome } from './complete-job.ts';
import { JobReduction } from './job-reduction.ts';
import { confinedInput, type MaskedInput, openMaskedInput } from './masked-input.ts';
import { preflight } from './preflight.ts';
import { afterPreflight, PreflightFailed } from './preflight-gate.ts';
import { releaseUnderDp, releaseWithoutDp } from './release-outputs.ts';
import type { RunJobOptions } from './run-job.ts';
import { distributesShardRuns, shardRunner } from './shard-runs.ts';
import type { OutputSpec } from './schemas.ts';
import { releasedCells as releasedCellsTable } from './schema.ts';

/**
 * Person-level datasets name their person by this field (a registry convention for now; it belongs in the policy
 * file). Contributors are counted by it, so a person with many rows counts once in the small-cell check.
 */
export const PERSON_FIELD = 'person_id';
/** Label of the platform-wide contributor key: stable across licences and jobs, so the differencing ledger compares. */
export const CONTRIBUTOR_KEY_LABEL = 'platform:contributors';

/** What the operator of a real run sees for any failure on real data: one code, one fixed text. */
export const RUN_FAILED = { code: 'RUN_FAILED', reason: 'the model failed on the real data; dry-run it on synthetic data to see why' } as const;
export const NOT_ROW_LOCAL = {
  code: 'NOT_ROW_LOCAL',
  reason: 'refused: what the model emits for a row depended on other rows (run it as a dry run to see where)',
} as const;

const failed = (errorCode: string, reason: string, extra: { internalCode?: string; refund?: boolean } = {}): JobOutcome => ({ status: 'failed', errorCode, reason, ...extra });

export async function evaluateReal(job: JobRow, licence: typeof licenses.$inferSelect, grant: { code: string; fields: string[] }, asOfMs: number, options: RunJobOptions): Promise<JobOutcome> {
  const { database, policies } = options;
  const rules = disclosureRules(policies, grant.code);
  const privacy = job.privacy && 'none' in job.privacy ? null : { rho: job.rhoNano / NANO };

  // 1. the model on synthetic rows first: a mistake found here is told in full and costs nothing. The real read
  // starts meanwhile, but its rows reach the model only once this has passed (preflight-gate.ts).
  const pre = preflight(job, licence, grant, asOfMs, options);
  pre.catch(() => {}); // a platform fault in it is rethrown where the verdict is awaited
  const preflightFailure = async (): Promise<JobOutcome | null> => {
    const verdict = await pre;
    return verdict.ok ? null : failed(verdict.code, verdict.reason, { refund: true });
  };

  // 2. the licensed, masked columns as they stream out, and who contributes each row (the platform's own pseudonym,
  // never the job's)
  const personLevel = datasetPolicy(policies, grant.code).personLevel;
  const contributorKey = personLevel ? { field: PERSON_FIELD, key: derivePseudonymKey(options.pseudonymSecret, CONTRIBUTOR_KEY_LABEL) } : undefined;
  let input;
  try {
    input = await openMaskedInput(database, policies, grant.code, grant.fields, { pseudonymKey: derivePseudonymKey(options.pseudonymSecret, licence.id), asOf: new Date(asOfMs).toISOString().slice(0, 10) }, contributorKey);
  } catch (err) {
    // the preflight's verdict comes first, as when the two ran one after the other
    const early = await preflightFailure();
    if (early) return early;
    if (isAppError(err)) return failed(err.code, err.message, { refund: true });
    // fail closed: a person-level dataset without a person id cannot have its contributors counted
    if (err instanceof TypeError && contributorKey) return failed('UNSUPPORTED', 'the dataset has no person id to count contributors by', { refund: true });
    throw err;
  }

  // 3. the model under confinement, each main shard reduced as it comes back (whole contributors per shard)
  const reduction = new JobReduction({ outputs: job.outputs as OutputSpec[], dataset: grant.code, maxRows: job.maxRowsPerContributor, dp: privacy !== null, personLevel });
  // a job of more than one main shard on PostgreSQL: its runs go to every worker of the database (shard-runs.ts)
  const shards = options.shareShardRuns && distributesShardRuns(database) ? shardRunner(database, options.pool, job.id, options.workerId) : null;
  let confined;
  try {
    confined = await runSharded(
      options.pool,
      { code: job.code, params: job.params, asOf: asOfMs, seed: seedOf(job.id) },
      afterPreflight(confinedInput(input, personLevel), pre),
      (chunk) => reduction.add(chunk),
      { ...options.confinement, ...(shards ? { runner: shards.run } : {}) },
    );
  } catch (err) {
    if (err instanceof PreflightFailed) return failed(err.verdict.code, err.verdict.reason, { refund: true });
    const early = await preflightFailure();
    if (early) return early;
    throw err;
  } finally {
    await shards?.close();
  }
  if (!confined.ok && confined.kind === 'failed') return failed(RUN_FAILED.code, RUN_FAILED.reason, { internalCode: confined.code });
  if (!confined.ok) {
    return { status: 'rejected', result: null, record: { jobId: job.id, outcome: 'refuse', checks: [{ check: 'row_locality', outcome: 'fail', details: { runs: confined.runs } }] }, releasedCells: [], refusal: NOT_ROW_LOCAL, notLocal: { part: confined.part } };
  }
  // an output naming a column the model did not emit: the same on any data (the preflight would have caught it)
  if (reduction.error) return failed(RUN_FAILED.code, RUN_FAILED.reason, { internalCode: 'INVALID_OUTPUTS' });
  if (reduction.tableSpecs().length === 0 && reduction.declaredModels().length === 0 && (privacy || reduction.freeForm === 0)) return failed(RUN_FAILED.code, RUN_FAILED.reason, { internalCode: 'NO_OUTPUTS' });
  const releaseInput = { reduction, dataset: grant.code, rules };

  // 4. the release
  let check;
  let cells: ReleasedCellRecord[];
  try {
    if (privacy) ({ check, releasedCells: cells } = releaseUnderDp(releaseInput, { rho: privacy.rho, ...(options.rng ? { rng: options.rng } : {}) }));
    else ({ check, releasedCells: cells } = releaseWithoutDp(releaseInput, await readReleasedCells(options, grant.code), job.id, licence.id));
  } catch (err) {
    if (isAppError(err)) return failed(RUN_FAILED.code, RUN_FAILED.reason, { internalCode: 'INVALID_OUTPUTS' });
    throw err;
  }
  const report = [{ check: 'row_locality' as const, outcome: 'pass' as const, details: { runs: confined.runs, checkPartitions: confined.runs > 1 ? 'passed' : 'none' } }, ...check.report];
  const record = releaseRecord({
    jobId: job.id,
    operator: job.operatorId,
    code: job.code,
    dataVersions: { [grant.code]: String(input.version) },
    policyVersion: policyVersion(policies, grant.code),
    check: { outcome: check.outcome, report, epsilonSpent: check.epsilonSpent },
    createdAt: new Date().toISOString(),
  });
  // a release without DP always goes to two stewards, whatever the checks said
  const status = check.outcome === 'refuse' ? 'rejected' : check.outcome === 'review' || !privacy ? 'review' : 'succeeded';
  const failedChecks = report.filter((c) => c.outcome === 'fail').map((c) => c.check);
  const released = { ...check.released, dp: privacy ? { epsilon: check.epsilonSpent, rho: privacy.rho } : null };
  return {
    status,
    result: released,
    record,
    releasedCells: cells.map((c) => ({ ...c, jobId: job.id })),
    ...(status === 'rejected' ? { refusal: { code: 'RELEASE_REFUSED', reason: `release refused by the checks: ${failedChecks.join(', ') || 'disclosure control'}` } } : {}),
  };
}

/** A 32-bit seed for the isolates' Math.random, the same for every run of the job. */
function seedOf(jobId: string): number {
  return createHash('sha256').update(jobId).digest().readUInt32LE(0);
}

async function readReleasedCells(options: RunJobOptions, dataset: string): Promise<ReleasedCellRecord[]> {
  const rows = await options.database.db.select().from(releasedCellsTable).where(eq(releasedCellsTable.dataset, dataset));
  return rows.map((r) => ({ dataset: r.dataset, jobId: r.jobId, output: r.output, labels: r.labels, population: r.population, sketch: sketchFromBytes(r.sketch), withheld: r.withheld }));
}

/** A digest of the dataset's policy as loaded: the release record names the rules it was checked under. */
export function policyVersion(policies: PolicySet, code: string): string {
  const json = JSON.stringify(datasetPolicy(policies, code), (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  return `sha256:${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
