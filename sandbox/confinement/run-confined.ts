// A model run under confinement over columns already in memory (synthetic rows of a preflight or dry run, a federated
// round's local part): runSharded on them, with the main partition's output put back in the job's row space.
import type { ColumnInput, IsolatePool, JobLimits, MapOutput, SandboxFailureCode } from '../execution/index.ts';
import type { Difference } from './emission-digest.ts';
import { mergePartition, SharedLabels, type ShardOutput } from './merge.ts';
import { type ConfinementOptions, type FieldKind, type InputBatch, runSharded } from './run-sharded.ts';

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

export type ConfinedResult =
  | { readonly ok: true; readonly output: MapOutput; readonly runs: number; readonly excludedRows: number }
  /** a run failed: the sandbox's own code (for staff and alerts; the operator of a real run sees a fixed code only) */
  | { readonly ok: false; readonly kind: 'failed'; readonly code: SandboxFailureCode; readonly reason: string; readonly runs: number }
  /** the check partitions did not reproduce the main output: the model is not row-local */
  | { readonly ok: false; readonly kind: 'not_local'; readonly part: Difference | 'shape'; readonly runs: number };

const isDict = (c: ColumnInput): c is { readonly codes: Int32Array; readonly dictionary: readonly string[] } => !(c instanceof Float64Array) && !(c instanceof Int32Array);

/**
 * Runs the model over the main partition and every check partition (fresh isolates, random shards and order) and
 * compares them. Row i of the output describes input row i (`rows` lists the emitted ones).
 * @throws (rejects) as IsolatePool.run does, for bad code or params size (validated at submission)
 */
export async function runConfined(pool: IsolatePool, job: ConfinedJob, options: ConfinementOptions = {}): Promise<ConfinedResult> {
  const names = Object.keys(job.columns);
  const columns = names.map((n) => job.columns[n]!);
  const first = columns[0];
  const rowCount = first === undefined ? 0 : isDict(first) ? first.codes.length : first.length;
  const fields = names.map((name, f) => {
    const c = columns[f]!;
    // an Int32Array column (booleans) goes to the model as it is: a 'bool' with nothing missing
    return { name, kind: (c instanceof Float64Array ? 'f64' : c instanceof Int32Array ? 'bool' : 'dict') as FieldKind };
  });
  const of = job.contributors?.of;
  const units = of ? new Int32Array(4 * rowCount) : null;
  const excluded = of ? new Uint8Array(rowCount) : null;
  if (of) {
    for (let i = 0; i < rowCount; i++) {
      units![4 * i] = of[i]!;
      units![4 * i + 1] = 0x636f6e74; // 'cont': contributor indexes never meet row numbers' units
      excluded![i] = of[i]! < 0 ? 1 : 0;
    }
  }
  const batch: InputBatch = {
    rows: rowCount,
    rowIds: Float64Array.from({ length: rowCount }, (_, i) => i),
    values: columns.map((c) => (isDict(c) ? c.codes : c)),
    units,
    excluded,
    extra: null,
  };
  const chunks: ShardOutput[] = [];
  const result = await runSharded(
    pool,
    { code: job.code, params: job.params, asOf: job.asOf, seed: job.seed, ...(job.limits ? { limits: job.limits } : {}) },
    {
      fields,
      expectedRows: rowCount,
      rowsAreContributors: of === undefined,
      ...(job.contributors ? { contributors: job.contributors.count } : {}),
      extraWidth: 0,
      batches: (async function* () {
        if (rowCount > 0) yield batch;
      })(),
      dictionary: (f) => (isDict(columns[f]!) ? (columns[f] as { dictionary: readonly string[] }).dictionary : []),
      boolMissing: () => false,
    },
    (chunk) => void chunks.push({ shard: chunk.positions, output: chunk.output }),
    options,
  );
  if (!result.ok) return result;
  // the main partition's chunks back in the job's row space (a chunk's output rows index its positions)
  const merged = mergePartition(chunks.length > 0 ? chunks : [{ shard: new Int32Array(0), output: emptyLike(rowCount) }], rowCount, new SharedLabels());
  if (!merged.ok) return { ok: false, kind: 'not_local', part: merged.part, runs: result.runs };
  return { ok: true, output: merged.output, runs: result.runs, excludedRows: result.excludedRows };
}

function emptyLike(rowCount: number): MapOutput {
  return { rowCount, length: 0, rows: new Int32Array(0), keys: new Map(), measures: new Map(), features: new Map(), label: null };
}
