// The outputs of one partition's runs, put back in the job's row space: row i of the merged output is what the model
// emitted for input row i, whichever shard it ran in and wherever it sat there. Labels of every partition share one
// dictionary per key, so that two merged outputs compare by codes.
import type { KeyOutput, MapOutput } from '../execution/index.ts';
/** One run's rows: `shard[q]` is the row the model saw at input position q. */
export type Shard = Int32Array;

/** Label dictionaries shared by every merge of one job: the same label gets the same code in every partition. */
export class SharedLabels {
  private readonly index = new Map<string, Map<string, number>>();
  private readonly lists = new Map<string, string[]>();

  code(key: string, label: string): number {
    let index = this.index.get(key);
    if (!index) {
      index = new Map();
      this.index.set(key, index);
      this.lists.set(key, []);
    }
    let c = index.get(label);
    if (c === undefined) {
      c = this.lists.get(key)!.push(label) - 1;
      index.set(label, c);
    }
    return c;
  }

  dictionary(key: string): string[] {
    return this.lists.get(key) ?? [];
  }
}

/** Where the shards disagree on the output's shape (names or key types): that alone makes a model non-local. */
export type MergeResult = { ok: true; output: MapOutput } | { ok: false; part: 'shape' };

/** A run's output and the shard it ran on. */
export interface ShardOutput {
  readonly shard: Shard;
  readonly output: MapOutput;
}

const shapeOf = (o: MapOutput): string =>
  JSON.stringify([[...o.keys].map(([n, k]) => [n, k.type]).sort(), [...o.measures.keys()].sort(), [...o.features.keys()].sort(), o.label !== null]);

/**
 * Merges one partition's outputs over `rowCount` input rows. Floats are made canonical (one NaN, +0 for −0): a row's
 * value may carry no bit the reductions ignore. Integer keys stay integers; string keys get codes from `labels`.
 */
export function mergePartition(parts: readonly ShardOutput[], rowCount: number, labels: SharedLabels): MergeResult {
  if (parts.length === 0) throw new TypeError('a partition has at least one run');
  const first = parts[0]!.output;
  const shape = shapeOf(first);
  if (parts.some((p) => shapeOf(p.output) !== shape)) return { ok: false, part: 'shape' };

  // which input rows were described, and each one's place in the merged output
  const emitted = new Uint8Array(rowCount);
  for (const { shard, output } of parts) {
    for (let j = 0; j < output.length; j++) emitted[shard[output.rows ? output.rows[j]! : j]!] = 1;
  }
  let length = 0;
  for (let i = 0; i < rowCount; i++) length += emitted[i]!;
  const rows = new Int32Array(length);
  const position = new Int32Array(rowCount).fill(-1);
  for (let i = 0, k = 0; i < rowCount; i++) {
    if (emitted[i]) {
      rows[k] = i;
      position[i] = k++;
    }
  }
  const place = (shard: Shard, output: MapOutput, j: number): number => position[shard[output.rows ? output.rows[j]! : j]!]!;

  const keys = new Map<string, KeyOutput>();
  for (const [name, key] of first.keys) {
    if (key.type === 'int') {
      const values = new Int32Array(length);
      for (const { shard, output } of parts) {
        const own = (output.keys.get(name) as Extract<KeyOutput, { type: 'int' }>).values;
        for (let j = 0; j < output.length; j++) values[place(shard, output, j)] = own[j]!;
      }
      keys.set(name, { type: 'int', values });
    } else {
      const codes = new Int32Array(length);
      for (const { shard, output } of parts) {
        const own = output.keys.get(name) as Extract<KeyOutput, { type: 'dict' }>;
        const global = Int32Array.from(own.dictionary, (label) => labels.code(name, label));
        for (let j = 0; j < output.length; j++) {
          const c = own.codes[j]!;
          codes[place(shard, output, j)] = c < 0 ? -1 : global[c]!;
        }
      }
      keys.set(name, { type: 'dict', codes, dictionary: labels.dictionary(name) });
    }
  }
  const numeric = (pick: (o: MapOutput) => Float64Array | null | undefined): Float64Array => {
    const values = new Float64Array(length);
    for (const { shard, output } of parts) {
      const own = pick(output)!;
      for (let j = 0; j < output.length; j++) {
        const x = own[j]!;
        values[place(shard, output, j)] = x !== x ? NaN : x === 0 ? 0 : x;
      }
    }
    return values;
  };
  const measures = new Map([...first.measures.keys()].map((name) => [name, numeric((o) => o.measures.get(name))] as const));
  const features = new Map([...first.features.keys()].map((name) => [name, numeric((o) => o.features.get(name))] as const));
  const label = first.label ? numeric((o) => o.label) : null;
  return { ok: true, output: { rowCount, length, rows, keys, measures, features, label } };
}
