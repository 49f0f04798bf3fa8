// PostgreSQL's binary COPY format (COPY … TO … WITH (FORMAT binary)) decoded straight into typed columns: no row
// objects, no per-value strings. Numbers arrive as IEEE doubles, dates as day numbers, text dictionary-encoded as it
// arrives (TextInterner), and raw bytes (for values the caller hashes itself) into one buffer per batch.
import { TextInterner } from './text-interner.ts';

/** How a selected column is sent (the SQL expression must produce this type) and held. */
export type CopyColumnKind = 'float8' | 'bool' | 'date' | 'text' | 'bytes' | 'tid';

/** A missing date in a `date` column (and ±infinity, which datasets never hold). */
export const NULL_DATE = -0x80000000;

/** Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
const PG_EPOCH_DAYS = 10_957;

export type BatchColumn =
  /** NaN = missing */
  | { readonly kind: 'float8'; readonly values: Float64Array }
  /** 0, 1, or -1 = missing */
  | { readonly kind: 'bool'; readonly values: Int8Array }
  /** days since 1970-01-01; NULL_DATE = missing */
  | { readonly kind: 'date'; readonly days: Int32Array }
  /** codes into the column's dictionary (ColumnReader.dictionary); -1 = missing */
  | { readonly kind: 'text'; readonly codes: Int32Array }
  /** a row's physical place (ctid) as block × 65,536 + offset: stable for as long as the table is not rewritten */
  | { readonly kind: 'tid'; readonly ids: Float64Array }
  /** row i is bytes[offsets[i], offsets[i + 1]), missing when nulls[i] is 1 */
  | { readonly kind: 'bytes'; readonly offsets: Int32Array; readonly bytes: Uint8Array; readonly nulls: Uint8Array };

export interface ColumnBatch {
  readonly rows: number;
  /** in the order the columns were asked for */
  readonly columns: readonly BatchColumn[];
}

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

/** Thrown for bytes that are not a binary COPY stream of the expected columns (a platform fault, never user input). */
export class CopyFormatError extends Error {
  override readonly name = 'CopyFormatError';
}

class Builder {
  rows = 0;
  readonly floats: (Float64Array | null)[];
  readonly bools: (Int8Array | null)[];
  readonly dates: (Int32Array | null)[];
  readonly codes: (Int32Array | null)[];
  readonly offsets: (Int32Array | null)[];
  readonly nulls: (Uint8Array | null)[];
  readonly bytes: (Uint8Array | null)[];
  readonly bytesUsed: number[];

  constructor(private readonly kinds: readonly CopyColumnKind[], readonly capacity: number) {
    this.floats = kinds.map((k) => (k === 'float8' || k === 'tid' ? new Float64Array(capacity) : null));
    this.bools = kinds.map((k) => (k === 'bool' ? new Int8Array(capacity) : null));
    this.dates = kinds.map((k) => (k === 'date' ? new Int32Array(capacity) : null));
    this.codes = kinds.map((k) => (k === 'text' ? new Int32Array(capacity) : null));
    this.offsets = kinds.map((k) => (k === 'bytes' ? new Int32Array(capacity + 1) : null));
    this.nulls = kinds.map((k) => (k === 'bytes' ? new Uint8Array(capacity) : null));
    this.bytes = kinds.map((k) => (k === 'bytes' ? new Uint8Array(capacity * 24) : null));
    this.bytesUsed = kinds.map(() => 0);
  }

  appendBytes(c: number, source: Uint8Array, from: number, length: number): void {
    let target = this.bytes[c]!;
    const used = this.bytesUsed[c]!;
    if (used + length > target.length) {
      const grown = new Uint8Array(Math.max(2 * target.length, used + length));
      grown.set(target.subarray(0, used));
      this.bytes[c] = target = grown;
    }
    target.set(source.subarray(from, from + length), used);
    this.bytesUsed[c] = used + length;
  }

  finish(): ColumnBatch {
    const n = this.rows;
    const columns = this.kinds.map((kind, c): BatchColumn => {
      switch (kind) {
        case 'float8':
          return { kind, values: this.floats[c]!.subarray(0, n) };
        case 'tid':
          return { kind, ids: this.floats[c]!.subarray(0, n) };
        case 'bool':
          return { kind, values: this.bools[c]!.subarray(0, n) };
        case 'date':
          return { kind, days: this.dates[c]!.subarray(0, n) };
        case 'text':
          return { kind, codes: this.codes[c]!.subarray(0, n) };
        case 'bytes':
          return { kind, offsets: this.offsets[c]!.subarray(0, n + 1), bytes: this.bytes[c]!.subarray(0, this.bytesUsed[c]!), nulls: this.nulls[c]!.subarray(0, n) };
      }
    });
    return { rows: n, columns };
  }
}

/**
 * Decodes one or more binary COPY streams (one after another: `beginStream` before each) of `kinds` columns into
 * batches of at most `batchRows` rows. Text columns share interners across streams, so codes stay valid.
 */
export class BinaryCopyDecoder {
  readonly interners: (TextInterner | null)[];
  private builder: Builder;
  private leftover: Uint8Array | null = null;
  private state: 'header' | 'tuples' | 'done' = 'done';

  constructor(private readonly kinds: readonly CopyColumnKind[], private readonly batchRows = 65_536) {
    if (kinds.length === 0 || kinds.length > 1600) throw new TypeError('between 1 and 1600 columns');
    this.interners = kinds.map((k) => (k === 'text' ? new TextInterner() : null));
    this.builder = new Builder(kinds, batchRows);
  }

  beginStream(): void {
    if (this.state !== 'done') throw new CopyFormatError('the previous COPY stream did not end');
    this.state = 'header';
    this.leftover = null;
  }

  /** Decodes `chunk`; returns the batches it completed. */
  push(chunk: Uint8Array): ColumnBatch[] {
    const out: ColumnBatch[] = [];
    let buf = chunk;
    if (this.leftover) {
      buf = new Uint8Array(this.leftover.length + chunk.length);
      buf.set(this.leftover);
      buf.set(chunk, this.leftover.length);
      this.leftover = null;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (this.state === 'header') {
      if (buf.length < 19) {
        this.leftover = buf.slice();
        return out;
      }
      for (let i = 0; i < SIGNATURE.length; i++) if (buf[i] !== SIGNATURE[i]) throw new CopyFormatError('not a binary COPY stream');
      const extension = view.getInt32(15);
      if (buf.length < 19 + extension) {
        this.leftover = buf.slice();
        return out;
      }
      pos = 19 + extension;
      this.state = 'tuples';
    }
    const width = this.kinds.length;
    const kinds = this.kinds;
    while (this.state === 'tuples') {
      if (pos + 2 > buf.length) break;
      const fields = view.getInt16(pos);
      if (fields === -1) {
        this.state = 'done';
        pos += 2;
        break;
      }
      if (fields !== width) throw new CopyFormatError('unexpected field count');
      // is the whole tuple here? walk the lengths first
      let p = pos + 2;
      let complete = true;
      for (let c = 0; c < width; c++) {
        if (p + 4 > buf.length) {
          complete = false;
          break;
        }
        const len = view.getInt32(p);
        p += 4 + (len > 0 ? len : 0);
        if (p > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      const b = this.builder;
      const row = b.rows;
      p = pos + 2;
      for (let c = 0; c < width; c++) {
        const len = view.getInt32(p);
        p += 4;
        switch (kinds[c]) {
          case 'float8':
            b.floats[c]![row] = len === 8 ? view.getFloat64(p) : NaN;
            break;
          case 'tid':
            if (len !== 6) throw new CopyFormatError('a tid is six bytes');
            b.floats[c]![row] = view.getUint32(p) * 65_536 + view.getUint16(p + 4);
            break;
          case 'bool':
            b.bools[c]![row] = len === 1 ? (buf[p] ? 1 : 0) : -1;
            break;
          case 'date': {
            const d = len === 4 ? view.getInt32(p) : NULL_DATE;
            b.dates[c]![row] = d === NULL_DATE || d === 0x7fffffff ? NULL_DATE : d + PG_EPOCH_DAYS;
            break;
          }
          case 'text':
            b.codes[c]![row] = len < 0 ? -1 : this.interners[c]!.intern(buf, p, p + len);
            break;
          case 'bytes': {
            const offsets = b.offsets[c]!;
            if (len < 0) b.nulls[c]![row] = 1;
            else {
              b.nulls[c]![row] = 0;
              b.appendBytes(c, buf, p, len);
            }
            offsets[row + 1] = b.bytesUsed[c]!;
            break;
          }
        }
        if (len > 0) p += len;
      }
      pos = p;
      if (++b.rows === b.capacity) out.push(this.flush());
    }
    if (pos < buf.length && this.state !== 'done') this.leftover = buf.slice(pos);
    return out;
  }

  /** The batch in progress (possibly empty) is handed out; throws CopyFormatError when a stream is unfinished. */
  end(): ColumnBatch | null {
    // a stream with no bytes at all (an empty page range on PGlite) is an empty stream
    if (this.state === 'header' && !this.leftover) this.state = 'done';
    if (this.state !== 'done') throw new CopyFormatError('the COPY stream ended early');
    return this.builder.rows > 0 ? this.flush() : null;
  }

  /** Hands out the rows so far as a batch even if it is not full (between streams). */
  flush(): ColumnBatch {
    const batch = this.builder.finish();
    this.builder = new Builder(this.kinds, this.batchRows);
    return batch;
  }
}
