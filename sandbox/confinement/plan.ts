// Which rows each run of a confined job sees. A job's model runs several times: once over the main partition (whose
// output is released) and once per check partition. Every partition splits the contributors at random into shards;
// a contributor's rows always stay together; every shard is one run in a fresh isolate, its rows in their own random
// order. See docs/disclosure-control.md, "Row-local models".
import { type ShuffleRandom, shuffleInPlace } from './random.ts';

export interface ConfinementPlanOptions {
  /** largest main shard, in rows (a main run holds at most about this many rows); default 1,000,000 */
  readonly maxShardRows?: number;
  /** check partitions; default 2. 0 runs no check: only benchmarks pass it, to measure what the check costs */
  readonly checkPartitions?: number;
  /** shards per check partition; default 8 (fewer when there are fewer contributors) */
  readonly checkShards?: number;
}

/** One run: the job's input rows it sees, in the order it sees them. */
export type Shard = Int32Array;

export interface ConfinementPlan {
  /** the main partition: the output of these runs, merged, is what the platform reduces */
  readonly main: readonly Shard[];
  /** the check partitions: each must reproduce the main output exactly, contributor by contributor */
  readonly checks: readonly (readonly Shard[])[];
  /** rows that belong to no contributor: never shown to the model (they count in no aggregate either) */
  readonly excludedRows: number;
}

export const DEFAULT_PLAN = { maxShardRows: 1_000_000, checkPartitions: 2, checkShards: 8 } as const;

/**
 * Plans the runs of a job over `rowCount` rows. `contributorOf[i]` is row i's contributor index in
 * [0, contributorCount), or -1 for a row with none; null means every row is its own contributor.
 * @throws TypeError for inconsistent arguments (a platform mistake)
 */
export function planConfinedRuns(
  rowCount: number,
  contributors: { readonly of: Int32Array; readonly count: number } | null,
  random: ShuffleRandom,
  options: ConfinementPlanOptions = {},
): ConfinementPlan {
  const maxShardRows = options.maxShardRows ?? DEFAULT_PLAN.maxShardRows;
  const partitions = options.checkPartitions ?? DEFAULT_PLAN.checkPartitions;
  const shardsWanted = options.checkShards ?? DEFAULT_PLAN.checkShards;
  if (!Number.isInteger(rowCount) || rowCount < 0) throw new TypeError('rowCount must be a non-negative integer');
  if (!Number.isInteger(maxShardRows) || maxShardRows < 1) throw new TypeError('maxShardRows must be a positive integer');
  if (!Number.isInteger(partitions) || partitions < 0 || partitions > 8) throw new TypeError('checkPartitions must be an integer from 0 to 8');
  if (!Number.isInteger(shardsWanted) || shardsWanted < 2 || shardsWanted > 256) throw new TypeError('checkShards must be an integer from 2 to 256');
  if (contributors && contributors.of.length !== rowCount) throw new TypeError('contributors.of must have one entry per row');

  const units = contributors ? contributors.count : rowCount;
  const unitOf = (row: number): number => (contributors ? contributors.of[row]! : row);
  let excludedRows = 0;
  if (contributors) for (let i = 0; i < rowCount; i++) if (contributors.of[i]! < 0) excludedRows++;
  const included = rowCount - excludedRows;

  const mainShards = Math.max(1, Math.ceil(included / maxShardRows));
  const checkShards = Math.max(1, Math.min(shardsWanted, units));
  return {
    main: partition(rowCount, units, unitOf, mainShards, random),
    checks: Array.from({ length: partitions }, () => partition(rowCount, units, unitOf, checkShards, random)),
    excludedRows,
  };
}

/** Assigns every contributor a uniformly random shard, then lists each shard's rows in a fresh random order. */
function partition(rowCount: number, units: number, unitOf: (row: number) => number, shards: number, random: ShuffleRandom): Shard[] {
  const shardOfUnit = new Int32Array(units);
  for (let u = 0; u < units; u++) shardOfUnit[u] = shards === 1 ? 0 : random.below(shards);
  const sizes = new Int32Array(shards);
  for (let i = 0; i < rowCount; i++) {
    const u = unitOf(i);
    if (u >= 0) sizes[shardOfUnit[u]!]!++;
  }
  const out = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(shards);
  for (let i = 0; i < rowCount; i++) {
    const u = unitOf(i);
    if (u < 0) continue;
    const s = shardOfUnit[u]!;
    out[s]![filled[s]!++] = i;
  }
  return out.filter((rows) => rows.length > 0).map((rows) => shuffleInPlace(rows, random));
}
