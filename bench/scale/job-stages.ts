// Where a job's time goes. The job records only when it started and finished, and its spans (telemetry/jobs.ts) are
// `job`, `job.claim` and `job.run` around the whole pipeline, so the stages are replayed here, in the bench process, on
// the same database and version, with the same calls real-run.ts makes (sandbox/jobs/real-run.ts, evaluateReal), each
// stage adding one step: the columnar read; + the masks; + the isolates' map and the trusted reduction, with no
// check partitions; + confinement's check partitions (as a job runs); and the DP release on that reduction.
// The preflight on synthetic rows, the claim and the completion are not replayed (a fixed cost per job).
import { datasetPolicy, derivePseudonymKey, disclosureRules, loadPolicies } from '../../policies/index.ts';
import { runSharded, type ConfinementOptions } from '../../sandbox/confinement/index.ts';
import { rhoFromEpsilon } from '../../sandbox/dp/index.ts';
import { createIsolatePool } from '../../sandbox/execution/index.ts';
import { outputSpecSchema, type OutputSpec } from '../../sandbox/jobs/index.ts';
import { JobReduction } from '../../sandbox/jobs/job-reduction.ts';
import { confinedInput, openMaskedInput } from '../../sandbox/jobs/masked-input.ts';
import { CONTRIBUTOR_KEY_LABEL, PERSON_FIELD } from '../../sandbox/jobs/real-run.ts';
import { releaseUnderDp } from '../../sandbox/jobs/release-outputs.ts';
import { openDatabase } from '../../store/index.ts';
import { FIELDS } from './platform-client.ts';

export interface StageTimes {
  /** seconds: the columnar read alone (store/columnar) */
  read: number;
  /** seconds: read + mask (all batches drained) */
  masked: number;
  /** seconds: read + mask + map + reduce, one main run per shard, no check partitions */
  mapped: number;
  /** seconds: the same with the default check partitions (what a job runs) */
  confined: number;
  /** seconds: the DP release of the confined run's reduction */
  release: number;
}

export async function openStageReplay(url: string, job: { code: string; params: Readonly<Record<string, unknown>>; outputs: unknown[]; privacy: { epsilon: number } }) {
  const database = await openDatabase({ url });
  const policies = loadPolicies();
  const pool = createIsolatePool({ size: 2 });
  const secret = new Uint8Array(32).fill(7);
  const personLevel = datasetPolicy(policies, 'population').personLevel;
  const contributorKey = personLevel ? { field: PERSON_FIELD, key: derivePseudonymKey(secret, CONTRIBUTOR_KEY_LABEL) } : undefined;
  const asOfMs = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const outputs = job.outputs.map((o) => outputSpecSchema.parse(o) as OutputSpec);
  const rules = disclosureRules(policies, 'population');
  const open = () => openMaskedInput(database, policies, 'population', FIELDS, { pseudonymKey: derivePseudonymKey(secret, 'bench-licence'), asOf: new Date(asOfMs).toISOString().slice(0, 10) }, contributorKey);
  const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const started = performance.now();
    const value = await fn();
    return [(performance.now() - started) / 1000, value];
  };
  const run = async (confinement: ConfinementOptions) => {
    const input = await open();
    const reduction = new JobReduction({ outputs, dataset: 'population', maxRows: 1, dp: true, personLevel });
    const result = await runSharded(pool, { code: job.code, params: job.params, asOf: asOfMs, seed: 1 }, confinedInput(input, personLevel), (chunk) => reduction.add(chunk), confinement);
    if (!result.ok || reduction.error) throw new Error(`the replayed run failed: ${JSON.stringify(result).slice(0, 200)}`);
    return reduction;
  };
  return {
    async measure(read: () => Promise<number>): Promise<StageTimes> {
      const readSeconds = await read();
      const [masked] = await timed(async () => {
        const input = await open();
        for await (const b of input.batches) void b;
      });
      const [mapped] = await timed(() => run({ checkPartitions: 0 }));
      const [confined, reduction] = await timed(() => run({}));
      const [release] = await timed(async () => releaseUnderDp({ reduction, dataset: 'population', rules }, { rho: rhoFromEpsilon(job.privacy.epsilon) }));
      return { read: readSeconds, masked, mapped, confined, release };
    },
    async close() {
      await pool.close();
      await database.close();
    },
  };
}
