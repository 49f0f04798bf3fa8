// A model run under confinement: the main partition's runs give the output, every check partition's runs must give
// the very same output row by row, and anything else is a failure with a fixed code. This is how the platform knows,
// rather than trusts, that a model is row-local (docs/disclosure-control.md, "Row-local models").
import type { ColumnInput, IsolatePool, JobLimits, MapOutput, SandboxFailureCode } from '../execution/index.ts';
import { type Difference, firstDifference } from './compare.ts';
import { mergePartition, SharedLabels, type ShardOutput } from './merge.ts';
import { type ConfinementPlanOptions, planConfinedRuns, type Shard } from './plan.ts';
import { cryptoShuffleRandom, type ShuffleRandom } from './random.ts';
import { shardColumns, sortDictionaries } from './shard-input.ts';

export interface ConfinedJob {
  readonly code: string;
  /** every input row of the job, masked; rows are contributors' rows */
  readonly columns: Readonly<Record<string, ColumnInput>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly asOf: number;
  /** seeds Math.random inside every run of this job alike */
  readonly seed: number;
  /** per row, its contributor in [0, count) or -1 (left out); null: each row is its own contributor */
  readonly contributors: { readonly of: Int32Array; readonly count: number } | null;
  readonly limits?: Partial<JobLimits>;
}

export interface ConfinementOptions extends ConfinementPlanOptions {
  /** default crypto randomness; tests pass a seeded source */
  readonly random?: ShuffleRandom;
}

export type ConfinedResult =
  | { readonly ok: true; readonly output: MapOutput; readonly runs: number; readonly excludedRows: number }
  /** a run failed: the sandbox's own code (for staff and alerts; the operator of a real run sees a fixed code only) */
  | { readonly ok: false; readonly kind: 'failed'; readonly code: SandboxFailureCode; readonly reason: string; readonly runs: number }
  /** the check partitions did not reproduce the main output: the model is not row-local */
  | { readonly ok: false; readonly kind: 'not_local'; readonly part: Difference | 'shape'; readonly runs: number };

/**
 * Runs the model over the main partition and every check partition (all runs in parallel on the pool, each in a
 * fresh isolate), merges each partition's outputs into the job's row space and compares them.
 * @throws (rejects) as IsolatePool.run does, for bad code or params size (validated at submission)
 */
export async function runConfined(pool: IsolatePool, job: ConfinedJob, options: ConfinementOptions = {}): Promise<ConfinedResult> {
  const names = Object.keys(job.columns);
  const first = names.length > 0 ? job.columns[names[0]!]! : undefined;
  const rowCount = first === undefined ? 0 : first instanceof Float64Array || first instanceof Int32Array ? first.length : first.codes.length;
  const plan = planConfinedRuns(rowCount, job.contributors, options.random ?? cryptoShuffleRandom(), options);
  const sorted = sortDictionaries(job.columns);
  const partitions = [plan.main, ...plan.checks];
  const runs = partitions.reduce((n, p) => n + p.length, 0);
  // an empty job still runs once, so that a model that cannot run at all fails the same way on any data
  const shardsOf = (partition: readonly Shard[]): readonly Shard[] => (partition.length > 0 ? partition : [new Int32Array(0)]);

  const results = await Promise.all(
    partitions.map((partition) =>
      Promise.all(
        shardsOf(partition).map(async (shard) => ({
          shard,
          result: await pool.run({ code: job.code, columns: shardColumns(job.columns, sorted, shard), params: job.params, asOf: job.asOf, seed: job.seed, ...(job.limits ? { limits: job.limits } : {}) }),
        })),
      ),
    ),
  );
  // the first failure in plan order: which run failed first in time is noise, and reporting it would add a bit
  for (const partition of results) {
    for (const { result } of partition) if (!result.ok) return { ok: false, kind: 'failed', code: result.code, reason: result.reason, runs };
  }
  const labels = new SharedLabels();
  const merged: MapOutput[] = [];
  for (const partition of results) {
    const parts: ShardOutput[] = partition.map(({ shard, result }) => ({ shard, output: (result as Extract<typeof result, { ok: true }>).output }));
    const m = mergePartition(parts, rowCount, labels);
    if (!m.ok) return { ok: false, kind: 'not_local', part: m.part, runs };
    merged.push(m.output);
  }
  const main = merged[0]!;
  for (const check of merged.slice(1)) {
    const part = firstDifference(main, check);
    if (part !== null) return { ok: false, kind: 'not_local', part, runs };
  }
  return { ok: true, output: main, runs, excludedRows: plan.excludedRows };
}
