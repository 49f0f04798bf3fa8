// The input of one run: the job's columns restricted to a shard's rows, in the shard's order. A string column gets
// the dictionary of the values present in the shard, sorted: the model learns which values its own rows hold and
// nothing about which rows exist elsewhere, and the codes it sees are positions in that sorted list (never the
// dataset's row order, never stable across runs).
import type { ColumnInput } from '../execution/index.ts';
import type { Shard } from './plan.ts';

type DictColumn = { readonly codes: Int32Array; readonly dictionary: readonly string[] };

const isDict = (c: ColumnInput): c is DictColumn => !(c instanceof Float64Array) && !(c instanceof Int32Array);

/** Per string column, its dictionary's codes in sorted order of their strings: computed once per job. */
export interface SortedDictionaries {
  readonly [column: string]: Int32Array;
}

export function sortDictionaries(columns: Readonly<Record<string, ColumnInput>>): SortedDictionaries {
  const out: Record<string, Int32Array> = {};
  for (const [name, column] of Object.entries(columns)) {
    if (!isDict(column)) continue;
    const d = column.dictionary;
    out[name] = Int32Array.from({ length: d.length }, (_, i) => i).sort((a, b) => (d[a]! < d[b]! ? -1 : d[a]! > d[b]! ? 1 : a - b));
  }
  return out;
}

/** The columns of one shard. */
export function shardColumns(columns: Readonly<Record<string, ColumnInput>>, sorted: SortedDictionaries, shard: Shard): Record<string, ColumnInput> {
  const out: Record<string, ColumnInput> = {};
  const n = shard.length;
  for (const [name, column] of Object.entries(columns)) {
    if (column instanceof Float64Array) {
      const values = new Float64Array(n);
      for (let j = 0; j < n; j++) values[j] = column[shard[j]!]!;
      out[name] = values;
    } else if (column instanceof Int32Array) {
      const values = new Int32Array(n);
      for (let j = 0; j < n; j++) values[j] = column[shard[j]!]!;
      out[name] = values;
    } else {
      out[name] = shardDictColumn(column, sorted[name]!, shard);
    }
  }
  return out;
}

function shardDictColumn(column: DictColumn, order: Int32Array, shard: Shard): DictColumn {
  const size = column.dictionary.length;
  const used = new Uint8Array(size);
  for (let j = 0; j < shard.length; j++) {
    const c = column.codes[shard[j]!]!;
    if (c >= 0) used[c] = 1;
  }
  // walk the dictionary in sorted order, numbering only the values this shard holds
  const remap = new Int32Array(size);
  const dictionary: string[] = [];
  for (let k = 0; k < size; k++) {
    const c = order[k]!;
    if (used[c]) remap[c] = dictionary.push(column.dictionary[c]!) - 1;
  }
  const codes = new Int32Array(shard.length);
  for (let j = 0; j < shard.length; j++) {
    const c = column.codes[shard[j]!]!;
    codes[j] = c < 0 ? -1 : remap[c]!;
  }
  return { codes, dictionary };
}
