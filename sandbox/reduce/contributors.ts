// Who contributes to a row: the platform's own notion of a person (or firm), never the job's. Counts of contributors,
// the dominance rule and population sketches are all computed from this, so a job cannot inflate or split them.

import { canonicalKey, type KeyColumn } from './emitted.ts';

/**
 * The contributors behind the job's input rows. Built by the worker from the platform's copy of the input (e.g. the
 * pseudonymised person id column), aligned with the rows the job saw: not from anything the job emitted.
 */
export interface Contributors {
  /** 'rows': each row is its own contributor; 'ids': rows with the same id are one contributor */
  readonly kind: 'rows' | 'ids';
  readonly rows: number;
  /** number of contributor indexes (for 'ids' some may have no row) */
  readonly count: number;
  /** per row, the contributor index, -1 when the row has no id (such rows are left out of every aggregate); null for 'rows' */
  readonly of: Int32Array | null;
  /** rows grouped by contributor, ascending within each: contributor c owns order[offsets[c]] .. order[offsets[c+1] - 1]; null for 'rows' */
  readonly order: Int32Array | null;
  readonly offsets: Int32Array | null;
  /** two 32-bit words per contributor (index 2c, 2c+1): a stable fingerprint for population sketches */
  readonly fingerprints: Int32Array;
}

/**
 * Each row is one contributor: right when the dataset has one row per person. `rowIds` are the rows' stable ids in
 * the dataset (default: their positions), used for fingerprints so that sketches from different jobs compare.
 */
export function contributorsFromRows(rows: number, rowIds?: Float64Array): Contributors {
  if (!Number.isInteger(rows) || rows < 0) throw new TypeError('rows must be a non-negative integer');
  if (rowIds && rowIds.length !== rows) throw new TypeError('rowIds must have one id per row');
  // Fingerprints only matter for population sketches: computed on first use.
  let fingerprints: Int32Array | undefined;
  const compute = (): Int32Array => {
    const out = new Int32Array(2 * rows);
    for (let i = 0; i < rows; i++) {
      const id = rowIds ? rowIds[i]! : i;
      const hi = Math.floor(id / 4294967296) | 0;
      const lo = id >>> 0;
      out[2 * i] = fmix32(Math.imul(lo ^ 0x1b873593, 0xcc9e2d51) ^ hi);
      out[2 * i + 1] = fmix32(Math.imul(hi ^ 0x85ebca6b, 0xc2b2ae35) + lo);
    }
    return out;
  };
  return {
    kind: 'rows',
    rows,
    count: rows,
    of: null,
    order: null,
    offsets: null,
    get fingerprints() {
      return (fingerprints ??= compute());
    },
  };
}

/**
 * Rows with equal ids are one contributor (a pseudonymised person id, a firm's credit code). Missing ids (-1) leave
 * their rows out of every aggregate: counting them as separate people would inflate counts.
 * Throws AppError VALIDATION_FAILED for a malformed column.
 */
export function contributorsFromIds(ids: KeyColumn): Contributors {
  const rows = ids.codes.length;
  const column = canonicalKey(ids, rows, 'contributor id');
  const count = column.dictionary.length;
  const fingerprints = new Int32Array(2 * count);
  for (let c = 0; c < count; c++) {
    const id = column.dictionary[c]!;
    fingerprints[2 * c] = hashString(id, 0x811c9dc5);
    fingerprints[2 * c + 1] = hashString(id, 0x2f0b3c6d);
  }
  return contributorsFromCodes(column.codes, count, fingerprints);
}

/**
 * Contributors from per-row codes in [0, count) (-1: no contributor) and two fingerprint words per contributor (as
 * contributorsFromIds computes them from the pseudonym's text).
 */
export function contributorsFromCodes(of: Int32Array, count: number, fingerprints: Int32Array): Contributors {
  const rows = of.length;
  if (fingerprints.length !== 2 * count) throw new TypeError('two fingerprint words per contributor');
  // Counting sort of the rows by contributor: stable, so each contributor's rows stay in row order.
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < rows; i++) {
    const c = of[i]!;
    if (c >= count) throw new TypeError('a contributor code is out of range');
    if (c >= 0) offsets[c + 1]!++;
  }
  for (let c = 0; c < count; c++) offsets[c + 1] = offsets[c + 1]! + offsets[c]!;
  const order = new Int32Array(offsets[count]!);
  const next = offsets.slice(0, count);
  for (let i = 0; i < rows; i++) {
    const c = of[i]!;
    if (c >= 0) order[next[c]!++] = i;
  }
  return { kind: 'ids', rows, count, of, order, offsets, fingerprints };
}

/**
 * Contributors from a 128-bit id per row (`words[4i…4i+3]`, e.g. the platform's pseudonym of the person id) and its
 * two fingerprint words (`fingerprintsByRow[2i…2i+1]`); rows with `missing[i]` have none. Equal ids are one contributor,
 * numbered in order of first appearance.
 */
export function contributorsFromKeys(words: Int32Array, fingerprintsByRow: Int32Array, missing: Uint8Array | null, rows: number): Contributors {
  if (words.length < 4 * rows || fingerprintsByRow.length < 2 * rows) throw new TypeError('four id words and two fingerprint words a row');
  const of = new Int32Array(rows);
  let size = 16;
  while (size < 2 * rows) size *= 2;
  const slots = new Int32Array(size).fill(-1);
  const firstRow: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (missing?.[i]) {
      of[i] = -1;
      continue;
    }
    const a = words[4 * i]!, b = words[4 * i + 1]!, c = words[4 * i + 2]!, d = words[4 * i + 3]!;
    let s = fmix32(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35)) & (size - 1);
    for (;;) {
      const code = slots[s]!;
      if (code < 0) {
        slots[s] = firstRow.length;
        of[i] = firstRow.length;
        firstRow.push(i);
        break;
      }
      const r = firstRow[code]!;
      if (words[4 * r] === a && words[4 * r + 1] === b && words[4 * r + 2] === c && words[4 * r + 3] === d) {
        of[i] = code;
        break;
      }
      s = (s + 1) & (size - 1);
    }
  }
  const fingerprints = new Int32Array(2 * firstRow.length);
  firstRow.forEach((r, c) => {
    fingerprints[2 * c] = fingerprintsByRow[2 * r]!;
    fingerprints[2 * c + 1] = fingerprintsByRow[2 * r + 1]!;
  });
  return contributorsFromCodes(of, firstRow.length, fingerprints);
}

/**
 * Distinct contributors per group among the rows with `groupOf[i] >= 0` and, when `values` is given, a present
 * (non-NaN) value. One pass over the rows.
 */
export function distinctPerGroup(groupOf: Int32Array, groupCount: number, contributors: Contributors, values?: Float64Array): Int32Array {
  const out = new Int32Array(groupCount);
  const { order, offsets } = contributors;
  if (!order || !offsets) {
    for (let i = 0; i < groupOf.length; i++) {
      const g = groupOf[i]!;
      if (g >= 0 && (!values || values[i] === values[i])) out[g]!++;
    }
    return out;
  }
  const stamp = new Int32Array(groupCount).fill(-1);
  for (let c = 0; c < contributors.count; c++) {
    for (let k = offsets[c]!, end = offsets[c + 1]!; k < end; k++) {
      const i = order[k]!;
      const g = groupOf[i]!;
      if (g < 0 || (values && values[i] !== values[i])) continue;
      if (stamp[g] !== c) {
        stamp[g] = c;
        out[g]!++;
      }
    }
  }
  return out;
}

/** Murmur3's finaliser: spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over UTF-16 code units, finalised. Ids are platform pseudonyms, so a non-cryptographic hash suffices. */
function hashString(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h ^ s.length);
}
