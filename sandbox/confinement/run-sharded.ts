// A model run under confinement at any size. Rows stream in once; each contributor is assigned a shard of the main
// partition and of every check partition (shard-assignment.ts); every shard is one run in a fresh isolate over its
// rows in a fresh random order, with its own sorted dictionaries; each partition's emission is summarised by a digest
// (emission-digest.ts) and every check partition's digest must equal the main one's. Main shards hold whole
// contributors, so each is handed to the caller's reduction as a chunk: memory is one shard per run in flight, plus
// the caller's partial aggregates — not the dataset. See docs/disclosure-control.md, "Row-local models".
import type { ColumnInput, IsolatePool, JobLimits, MapOutput, ModelJob, ModelJobResult, SandboxFailureCode } from '../execution/index.ts';
import { digestKey, PartitionDigest, type Difference } from './emission-digest.ts';
import { mergePartition, SharedLabels } from './merge.ts';
import { cryptoShuffleRandom, shuffleInPlace, type ShuffleRandom } from './random.ts';
import { shardAssigner } from './shard-assignment.ts';
import { memoryStore, spillStore, type ShardRows, type ShardStore, type StoreLayout } from './shard-store.ts';

export const DEFAULT_PLAN = { maxShardRows: 1_000_000, checkPartitions: 2, checkShards: 8 } as const;

export interface ConfinementOptions {
  /** largest main shard, in rows (about: contributors land by a random function); default 1,000,000 */
  readonly maxShardRows?: number;
  /** check partitions; default 2. 0 runs no check: only benchmarks pass it, to measure what the check costs */
  readonly checkPartitions?: number;
  /** shards per check partition, at least; default 8 (more when the main partition has more; fewer than contributors never) */
  readonly checkShards?: number;
  /** default crypto randomness; tests pass a seeded source */
  readonly random?: ShuffleRandom;
  /** runs in flight at once; default the pool's size (with a runner that is used: twice that, plus 2) */
  readonly concurrency?: number;
  /**
   * Runs the isolate runs of a job with more than one main shard (e.g. as tasks any worker of the database may run:
   * sandbox/jobs/shard-runs.ts); default the pool. A job of one main shard always runs on the pool.
   */
  readonly runner?: (job: ModelJob) => Promise<ModelJobResult>;
}

export type FieldKind = 'f64' | 'bool' | 'dict';

/** A batch of a job's masked rows. */
export interface InputBatch {
  readonly rows: number;
  /** each row's stable id: chunks reach the reduction in this order */
  readonly rowIds: Float64Array;
  /** per field: Float64Array (f64, NaN missing) or Int32Array (bool 0/1, dict codes; -1 missing) */
  readonly values: readonly (Float64Array | Int32Array)[];
  /** 4 words a row: its contributor's id; null when every row is its own contributor */
  readonly units: Int32Array | null;
  /** rows that belong to no contributor: never shown to the model, in no aggregate */
  readonly excluded: Uint8Array | null;
  /** words carried with each row to the reduction (e.g. sketch fingerprints), `extraWidth` a row */
  readonly extra: Int32Array | null;
}

export interface ConfinedInput {
  readonly fields: readonly { readonly name: string; readonly kind: FieldKind }[];
  /** rows the read will deliver at most (the registry's count): it sizes the partitions before any row is read */
  readonly expectedRows: number;
  /** whether every row is its own contributor (batches carry no units) */
  readonly rowsAreContributors: boolean;
  /** distinct contributors, when known (in-memory jobs): no check partition has more shards */
  readonly contributors?: number;
  readonly extraWidth: number;
  readonly batches: AsyncIterable<InputBatch>;
  /** a dict field's dictionary, complete once the batches are consumed */
  dictionary(field: number): readonly string[];
  /** whether a bool field had a missing value (then it reaches the model as a dictionary) */
  boolMissing(field: number): boolean;
}

export interface ConfinedModel {
  readonly code: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly asOf: number;
  /** seeds Math.random inside every run of this job alike */
  readonly seed: number;
  readonly limits?: Partial<JobLimits>;
}

/** One main shard, ready to reduce: its rows and what the model emitted for them, in the rows' id order. */
export interface MainChunk {
  /** emitted for the chunk's rows (output.rowCount = rows); rows[j] indexes the arrays below */
  readonly output: MapOutput;
  readonly rowIds: Float64Array;
  readonly positions: Int32Array;
  readonly units: Int32Array | null;
  readonly extra: Int32Array | null;
}

export type ShardedResult =
  | { readonly ok: true; readonly runs: number; readonly rows: number; readonly excludedRows: number }
  /** a run failed: the sandbox's own code (for staff and alerts; the operator of a real run sees a fixed code only) */
  | { readonly ok: false; readonly kind: 'failed'; readonly code: SandboxFailureCode; readonly reason: string; readonly runs: number }
  /** the check partitions did not reproduce the main output: the model is not row-local */
  | { readonly ok: false; readonly kind: 'not_local'; readonly part: Difference | 'shape'; readonly runs: number };

/**
 * Runs the model over the main partition and every check partition, handing each main shard to `onMain` (in
 * shard order) as soon as its run is back, and compares the partitions' digests. `onMain` chunks are final only
 * when the result is ok: a caller reduces as they come and discards on failure.
 * @throws (rejects) as IsolatePool.run does, for bad code or params size (validated at submission)
 */
export async function runSharded(pool: IsolatePool, model: ConfinedModel, input: ConfinedInput, onMain: (chunk: MainChunk) => void | Promise<void>, options: ConfinementOptions = {}): Promise<ShardedResult> {
  const random = options.random ?? cryptoShuffleRandom();
  const maxShardRows = options.maxShardRows ?? DEFAULT_PLAN.maxShardRows;
  const partitions = options.checkPartitions ?? DEFAULT_PLAN.checkPartitions;
  const wanted = options.checkShards ?? DEFAULT_PLAN.checkShards;
  if (!Number.isInteger(maxShardRows) || maxShardRows < 1) throw new TypeError('maxShardRows must be a positive integer');
  if (!Number.isInteger(partitions) || partitions < 0 || partitions > 8) throw new TypeError('checkPartitions must be an integer from 0 to 8');
  if (!Number.isInteger(wanted) || wanted < 2 || wanted > 4096) throw new TypeError('checkShards must be an integer from 2 to 4096');
  const expected = Math.max(0, input.expectedRows);
  const main = Math.max(1, Math.ceil(expected / maxShardRows));
  // check shards: as many as asked, as many as main shards at scale (each run stays under the size of a main shard),
  // never more than contributors (an empty shard is no run)
  const units = input.contributors ?? expected;
  const check = Math.max(1, Math.min(Math.max(wanted, main), units));
  const counts = { main, checks: Array.from({ length: partitions }, () => check) };
  const assigner = shardAssigner(counts, random);
  const key = digestKey(random);
  const layout: StoreLayout = {
    fieldKinds: input.fields.map((f) => (f.kind === 'f64' ? 'f64' : 'i32')),
    units: true,
    extraWidth: input.extraWidth,
    shards: [main, ...counts.checks],
  };
  const store: ShardStore = main > 1 ? spillStore(layout) : memoryStore(layout);
  try {
    let rows = 0;
    let excludedRows = 0;
    for await (const batch of input.batches) {
      // a row that is its own contributor is keyed by its number in the job
      const unitWords = batch.units ?? rowUnits(rows, batch.rows);
      if (batch.excluded) for (let i = 0; i < batch.rows; i++) excludedRows += batch.excluded[i]!;
      store.add({ rows: batch.rows, firstPosition: rows, rowIds: batch.rowIds, values: batch.values, units: unitWords, extra: batch.extra, at: assigner.assign(unitWords, batch.rows), skip: batch.excluded });
      rows += batch.rows;
    }
    const prepared = prepareFields(input);
    // the plan: main shards, then each check partition's, skipping empty shards (an empty job still runs once, so a
    // model that cannot run at all fails the same way on any data)
    const plan: { partition: number; shard: number }[] = [];
    layout.shards.forEach((n, partition) => {
      const sizes = store.sizes(partition);
      for (let shard = 0; shard < n; shard++) if (sizes[shard]! > 0 || (partition === 0 && shard === 0 && rows - excludedRows === 0)) plan.push({ partition, shard });
    });
    const runs = plan.length;
    const digests = layout.shards.map(() => new PartitionDigest(key));
    let shape: string | null = null;
    let notLocal: Difference | 'shape' | null = null;
    // a runner elsewhere gets more runs in flight than this pool has isolates, so other workers find some queued
    const runner = main > 1 && options.runner ? options.runner : (job: ModelJob) => pool.run(job);
    const concurrency = options.concurrency ?? (main > 1 && options.runner ? 2 * pool.size + 2 : pool.size);
    const failure = await inPlanOrder(plan, concurrency, async ({ partition, shard }) => {
      const shardRows = sortById(store.rows(partition, shard));
      // the model sees the shard's rows in a fresh random order
      const order = new Int32Array(shardRows.length);
      for (let k = 0; k < order.length; k++) order[k] = k;
      shuffleInPlace(order, random);
      const columns = shardColumns(input, prepared, shardRows, order);
      const result = await runner({ code: model.code, columns, params: model.params, asOf: model.asOf, seed: model.seed, ...(model.limits ? { limits: model.limits } : {}) });
      if (!result.ok) return result;
      const out = result.output;
      const s = shapeOf(out);
      if (shape === null) shape = s;
      else if (shape !== s) notLocal ??= 'shape';
      const positions = new Int32Array(order.length);
      for (let q = 0; q < order.length; q++) positions[q] = shardRows.positions[order[q]!]!;
      digests[partition]!.add(out, positions);
      if (partition === 0 && notLocal === null) {
        const merged = mergePartition([{ shard: order, output: out }], shardRows.length, new SharedLabels());
        if (merged.ok) await onMain({ output: merged.output, rowIds: shardRows.rowIds, positions: shardRows.positions, units: input.rowsAreContributors ? null : shardRows.units, extra: shardRows.extra });
      }
      return null;
    });
    if (failure) return { ok: false, kind: 'failed', code: failure.code, reason: failure.reason, runs };
    if (notLocal) return { ok: false, kind: 'not_local', part: notLocal, runs };
    for (const d of digests.slice(1)) {
      const part = digests[0]!.firstDifference(d);
      if (part !== null) return { ok: false, kind: 'not_local', part, runs };
    }
    return { ok: true, runs, rows, excludedRows };
  } finally {
    store.close();
  }
}

/** Four words a row: the row's number in the job, for rows that are their own contributors. */
function rowUnits(first: number, rows: number): Int32Array {
  const out = new Int32Array(4 * rows);
  for (let i = 0; i < rows; i++) {
    out[4 * i] = first + i;
    out[4 * i + 3] = 0x726f7773; // 'rows': never a contributor pseudonym's pattern by construction of the key space
  }
  return out;
}

/**
 * Runs `task` over the plan with at most `concurrency` in flight, starting them in plan order. Returns the failure of
 * the first failing run in plan order (which failed first in time is noise, and reporting it would add a bit); runs
 * after a failure are not started.
 */
async function inPlanOrder<T, F>(plan: readonly T[], concurrency: number, task: (item: T) => Promise<F | null>): Promise<F | null> {
  const results: (F | null | undefined)[] = new Array(plan.length);
  let next = 0;
  let failedAt = Infinity;
  let thrown = null as { error: unknown } | null;
  const lane = async () => {
    while (next < plan.length && next < failedAt && !thrown) {
      const k = next++;
      try {
        const r = await task(plan[k]!);
        results[k] = r;
        if (r !== null && k < failedAt) failedAt = k;
      } catch (error) {
        // a platform fault: let the runs in flight finish (they use the shard store), then throw
        thrown ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, plan.length)) }, lane));
  if (thrown) throw thrown.error;
  return failedAt === Infinity ? null : (results[failedAt] as F);
}

/** A shard's rows in the order of their ids (the order "first k rows of a contributor" means). */
function sortById(rows: ShardRows): ShardRows {
  const n = rows.length;
  const ids = rows.rowIds;
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) if (ids[k - 1]! > ids[k]!) sorted = false;
  if (sorted) return rows;
  const index = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => ids[a]! - ids[b]!);
  const pick = <T extends Float64Array | Int32Array>(src: T, width = 1): T => {
    const out = new (src.constructor as new (n: number) => T)(n * width);
    for (let k = 0; k < n; k++) for (let w = 0; w < width; w++) out[k * width + w] = src[index[k]! * width + w]!;
    return out;
  };
  const extraWidth = rows.extra ? rows.extra.length / Math.max(1, n) : 0;
  return {
    length: n,
    positions: pick(rows.positions),
    rowIds: pick(rows.rowIds),
    values: rows.values.map((v) => pick(v)),
    units: rows.units ? pick(rows.units, 4) : null,
    extra: rows.extra ? pick(rows.extra, extraWidth) : null,
  };
}

interface PreparedField {
  readonly kind: 'f64' | 'i32' | 'dict';
  /** dict fields: the dictionary and its codes in sorted order of their strings */
  readonly dictionary: readonly string[];
  readonly sorted: Int32Array | null;
}

/** Once the read is complete: each field's form for the model, and the sorted order of each dictionary. */
function prepareFields(input: ConfinedInput): PreparedField[] {
  return input.fields.map((f, i) => {
    if (f.kind === 'f64') return { kind: 'f64', dictionary: [], sorted: null };
    if (f.kind === 'bool' && !input.boolMissing(i)) return { kind: 'i32', dictionary: [], sorted: null };
    const d = f.kind === 'bool' ? ['false', 'true'] : input.dictionary(i);
    const sorted = Int32Array.from({ length: d.length }, (_, k) => k).sort((a, b) => (d[a]! < d[b]! ? -1 : d[a]! > d[b]! ? 1 : a - b));
    return { kind: 'dict', dictionary: d, sorted };
  });
}

/**
 * The model's columns for one shard, rows in `order`. A string column gets the dictionary of the values present in
 * the shard, sorted: the model learns which values its own rows hold and nothing about rows elsewhere, and the codes
 * it sees are positions in that sorted list (never the dataset's order, never stable across runs).
 */
function shardColumns(input: ConfinedInput, prepared: readonly PreparedField[], rows: ShardRows, order: Int32Array): Record<string, ColumnInput> {
  const n = order.length;
  const out: Record<string, ColumnInput> = {};
  input.fields.forEach((field, f) => {
    const p = prepared[f]!;
    const source = rows.values[f]!;
    if (p.kind === 'f64' || p.kind === 'i32') {
      const values = p.kind === 'f64' ? new Float64Array(n) : new Int32Array(n);
      for (let j = 0; j < n; j++) values[j] = source[order[j]!]!;
      out[field.name] = values;
      return;
    }
    const size = p.dictionary.length;
    const used = new Uint8Array(size);
    for (let j = 0; j < n; j++) {
      const c = source[j]!;
      if (c >= 0) used[c] = 1;
    }
    const remap = new Int32Array(size);
    const dictionary: string[] = [];
    for (let k = 0; k < size; k++) {
      const c = p.sorted![k]!;
      if (used[c]) remap[c] = dictionary.push(p.dictionary[c]!) - 1;
    }
    const codes = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const c = source[order[j]!]!;
      codes[j] = c < 0 ? -1 : remap[c]!;
    }
    out[field.name] = { codes, dictionary };
  });
  return out;
}

const shapeOf = (o: MapOutput): string =>
  JSON.stringify([[...o.keys].map(([n, k]) => [n, k.type]).sort(), [...o.measures.keys()].sort(), [...o.features.keys()].sort(), o.label !== null]);
