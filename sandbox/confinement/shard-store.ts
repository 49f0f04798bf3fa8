// Where a job's rows wait between the read and their runs. A job that fits one main shard keeps its rows in memory;
// a larger one writes each row, as it streams in, to a file per shard of every partition (a private temporary
// directory, files readable by this user only, removed when the job ends), so the worker holds one shard at a time
// whatever the size of the dataset. Rows are stored column by column in blocks.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The rows of one shard, in the order they arrived. */
export interface ShardRows {
  readonly length: number;
  /** the job's number of each row (0, 1, 2, … in the order rows were read) */
  readonly positions: Int32Array;
  readonly rowIds: Float64Array;
  /** per field, Float64Array or Int32Array */
  readonly values: readonly (Float64Array | Int32Array)[];
  /** 4 words a row, or null when rows are their own contributors */
  readonly units: Int32Array | null;
  /** `extraWidth` words a row (the caller's: e.g. sketch fingerprints), or null */
  readonly extra: Int32Array | null;
}

export interface StoreLayout {
  /** per field: 8-byte floats or 4-byte integers */
  readonly fieldKinds: readonly ('f64' | 'i32')[];
  readonly units: boolean;
  readonly extraWidth: number;
  /** shards of each partition, main first */
  readonly shards: readonly number[];
}

/** Rows to add: `rows` of them; `at[(1 + P) i + p]` is row i's shard in partition p, or the row is skipped if `skip[i]`. */
export interface StoreBatch {
  readonly rows: number;
  readonly firstPosition: number;
  readonly rowIds: Float64Array;
  readonly values: readonly (Float64Array | Int32Array)[];
  readonly units: Int32Array | null;
  readonly extra: Int32Array | null;
  readonly at: Int32Array;
  readonly skip: Uint8Array | null;
}

export interface ShardStore {
  add(batch: StoreBatch): void;
  /** rows in shard `shard` of partition `partition` (call after every add) */
  rows(partition: number, shard: number): ShardRows;
  /** rows in each shard of a partition */
  sizes(partition: number): Int32Array;
  close(): void;
}

/** In memory: rows kept whole, shards gathered on demand. For jobs of up to one main shard. */
export function memoryStore(layout: StoreLayout): ShardStore {
  const batches: StoreBatch[] = [];
  const counts = layout.shards.map((n) => new Int32Array(n));
  const P = layout.shards.length;
  let whole: { rows: ShardRows; at: Int32Array; skip: Uint8Array } | null = null;
  const all = () => {
    if (whole) return whole;
    const n = batches.reduce((s, b) => s + b.rows, 0);
    const cat = <T extends Float64Array | Int32Array | Uint8Array>(make: new (n: number) => T, pick: (b: StoreBatch) => T | null, width = 1): T => {
      const out = new make(n * width);
      let o = 0;
      for (const b of batches) {
        const part = pick(b);
        if (part) out.set(part.subarray(0, b.rows * width) as never, o);
        o += b.rows * width;
      }
      return out;
    };
    const positions = cat(Int32Array, (b) => Int32Array.from({ length: b.rows }, (_, i) => b.firstPosition + i));
    whole = {
      rows: {
        length: n,
        positions,
        rowIds: cat(Float64Array, (b) => b.rowIds),
        values: layout.fieldKinds.map((k, f) => (k === 'f64' ? cat(Float64Array, (b) => b.values[f] as Float64Array) : cat(Int32Array, (b) => b.values[f] as Int32Array))),
        units: layout.units ? cat(Int32Array, (b) => b.units, 4) : null,
        extra: layout.extraWidth > 0 ? cat(Int32Array, (b) => b.extra, layout.extraWidth) : null,
      },
      at: cat(Int32Array, (b) => b.at, P),
      skip: cat(Uint8Array, (b) => b.skip ?? new Uint8Array(b.rows)),
    };
    batches.length = 0;
    return whole;
  };
  // per partition, the rows grouped by shard (a counting sort, once)
  const byShard: { order: Int32Array; starts: Int32Array }[] = [];
  const sortByShard = (partition: number) => {
    const { rows, at, skip } = all();
    const starts = new Int32Array(layout.shards[partition]! + 1);
    for (let i = 0; i < rows.length; i++) if (!skip[i]) starts[at[P * i + partition]! + 1]!++;
    for (let s = 0; s + 1 < starts.length; s++) starts[s + 1] = starts[s + 1]! + starts[s]!;
    const next = starts.slice(0, -1);
    const order = new Int32Array(starts[starts.length - 1]!);
    for (let i = 0; i < rows.length; i++) if (!skip[i]) order[next[at[P * i + partition]!]!++] = i;
    return { order, starts };
  };
  return {
    add(batch) {
      batches.push(batch);
      for (let i = 0; i < batch.rows; i++) {
        if (batch.skip?.[i]) continue;
        for (let p = 0; p < P; p++) counts[p]![batch.at[P * i + p]!]!++;
      }
    },
    sizes: (partition) => counts[partition]!,
    rows(partition, shard) {
      const { rows } = all();
      const { order, starts } = (byShard[partition] ??= sortByShard(partition));
      const index = order.subarray(starts[shard]!, starts[shard + 1]!);
      // a shard of every row (a small job's main partition) is the rows themselves
      if (index.length === rows.length) return rows;
      return gather(rows, index, layout, partition === 0);
    },
    close() {
      batches.length = 0;
      whole = null;
      byShard.length = 0;
    },
  };
}

/** The rows at `index`; units and extras only for the main partition (check runs need neither). */
function gather(rows: ShardRows, index: Int32Array, layout: StoreLayout, main: boolean): ShardRows {
  const n = index.length;
  const pick = <T extends Float64Array | Int32Array>(src: T): T => {
    const out = new (src.constructor as new (n: number) => T)(n);
    for (let k = 0; k < n; k++) out[k] = src[index[k]!]!;
    return out;
  };
  const pickWide = (src: Int32Array, width: number): Int32Array => {
    const out = new Int32Array(n * width);
    for (let k = 0; k < n; k++) out.set(src.subarray(index[k]! * width, index[k]! * width + width), k * width);
    return out;
  };
  return {
    length: n,
    positions: pick(rows.positions),
    rowIds: pick(rows.rowIds),
    values: rows.values.map((v) => pick(v)),
    units: main && rows.units ? pickWide(rows.units, 4) : null,
    extra: main && rows.extra ? pickWide(rows.extra, layout.extraWidth) : null,
  };
}

/** Rows buffered per shard before a block is written. */
const BLOCK_ROWS = 4096;

class ShardFile {
  length = 0;
  private buffered = 0;
  private readonly fd: number;
  readonly positions = new Int32Array(BLOCK_ROWS);
  readonly rowIds = new Float64Array(BLOCK_ROWS);
  readonly values: (Float64Array | Int32Array)[];
  readonly units: Int32Array | null;
  readonly extra: Int32Array | null;

  constructor(readonly path: string, private readonly layout: StoreLayout, withUnits: boolean) {
    this.fd = openSync(path, 'wx', 0o600);
    this.values = layout.fieldKinds.map((k) => (k === 'f64' ? new Float64Array(BLOCK_ROWS) : new Int32Array(BLOCK_ROWS)));
    this.units = withUnits && layout.units ? new Int32Array(4 * BLOCK_ROWS) : null;
    this.extra = withUnits && layout.extraWidth > 0 ? new Int32Array(layout.extraWidth * BLOCK_ROWS) : null;
  }

  push(batch: StoreBatch, i: number): void {
    const k = this.buffered;
    this.positions[k] = batch.firstPosition + i;
    this.rowIds[k] = batch.rowIds[i]!;
    for (let f = 0; f < this.values.length; f++) this.values[f]![k] = batch.values[f]![i]!;
    if (this.units) for (let w = 0; w < 4; w++) this.units[4 * k + w] = batch.units![4 * i + w]!;
    if (this.extra) {
      const x = this.layout.extraWidth;
      for (let w = 0; w < x; w++) this.extra[x * k + w] = batch.extra![x * i + w]!;
    }
    this.length++;
    if (++this.buffered === BLOCK_ROWS) this.flush();
  }

  flush(): void {
    const n = this.buffered;
    if (n === 0) return;
    const parts: ArrayBufferView[] = [Int32Array.of(n), this.positions.subarray(0, n), this.rowIds.subarray(0, n), ...this.values.map((v) => v.subarray(0, n))];
    if (this.units) parts.push(this.units.subarray(0, 4 * n));
    if (this.extra) parts.push(this.extra.subarray(0, this.layout.extraWidth * n));
    for (const p of parts) writeSync(this.fd, new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    this.buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** On disk: a file per shard of every partition; only main-partition files carry units and extras. */
export function spillStore(layout: StoreLayout): ShardStore {
  const dir = mkdtempSync(join(tmpdir(), 'gdp-job-'));
  const files = layout.shards.map((n, p) => Array.from({ length: n }, (_, s) => new ShardFile(join(dir, `${p}-${s}`), layout, p === 0)));
  const P = layout.shards.length;
  let sealed = false;
  const seal = () => {
    if (sealed) return;
    sealed = true;
    for (const partition of files) for (const f of partition) f.close();
  };
  return {
    add(batch) {
      for (let i = 0; i < batch.rows; i++) {
        if (batch.skip?.[i]) continue;
        for (let p = 0; p < P; p++) files[p]![batch.at[P * i + p]!]!.push(batch, i);
      }
    },
    sizes: (partition) => Int32Array.from(files[partition]!, (f) => f.length),
    rows(partition, shard) {
      seal();
      const file = files[partition]![shard]!;
      return readShard(readFileSync(file.path), file.length, layout, partition === 0);
    },
    close() {
      try {
        seal();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function readShard(bytes: Buffer, length: number, layout: StoreLayout, withUnits: boolean): ShardRows {
  const out: ShardRows = {
    length,
    positions: new Int32Array(length),
    rowIds: new Float64Array(length),
    values: layout.fieldKinds.map((k) => (k === 'f64' ? new Float64Array(length) : new Int32Array(length))),
    units: withUnits && layout.units ? new Int32Array(4 * length) : null,
    extra: withUnits && layout.extraWidth > 0 ? new Int32Array(layout.extraWidth * length) : null,
  };
  // blocks are copied out (not viewed): file offsets need not be aligned for the typed arrays
  const ab = bytes.buffer;
  let at = bytes.byteOffset;
  let row = 0;
  const copy = <T extends Float64Array | Int32Array>(target: T, make: new (b: ArrayBuffer) => T, count: number, into: number) => {
    const size = target.BYTES_PER_ELEMENT * count;
    target.set(new make(ab.slice(at, at + size) as ArrayBuffer), into);
    at += size;
  };
  while (row < length) {
    const n = new Int32Array(ab.slice(at, at + 4) as ArrayBuffer)[0]!;
    at += 4;
    copy(out.positions, Int32Array, n, row);
    copy(out.rowIds, Float64Array, n, row);
    out.values.forEach((v) => (v instanceof Float64Array ? copy(v, Float64Array, n, row) : copy(v, Int32Array, n, row)));
    if (out.units) copy(out.units, Int32Array, 4 * n, 4 * row);
    if (out.extra) copy(out.extra, Int32Array, layout.extraWidth * n, layout.extraWidth * row);
    row += n;
  }
  return out;
}
