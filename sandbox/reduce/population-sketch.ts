// Population sketches: for each released cell, a small invertible Bloom lookup table (Goodrich & Mitzenmacher 2011)
// of the fingerprints of its contributors. Subtracting two cells' sketches and peeling recovers the contributors in
// one population but not the other whenever there are few of them — exactly what the differencing check needs, from
// the platform's own contributor ids, whatever labels or filters the job used.

import { fmix32 } from './contributors.ts';
import type { Grouping } from './group-by.ts';

/** Cells per sketch: three sub-tables of 32. Decodes differences of up to ~50 contributors with high probability. */
export const SKETCH_CELLS = 96;
const SUB = 32;
const WORDS = 4; // count, key word 1, key word 2, checksum

/**
 * A population sketch. Storage format (version 1), relied on by the release ledger: SKETCH_CELLS cells of four
 * int32 (count, xor of fingerprint word 1, xor of word 2, xor of checksum); bytes little-endian.
 */
export interface PopulationSketch {
  readonly version: 1;
  readonly data: Int32Array;
}

function cellOf(a: number, b: number, s: number): number {
  const h = fmix32((Math.imul(a, 0x9e3779b1) ^ b) + Math.imul(s + 1, 0x7f4a7c15));
  return s * SUB + (h >>> 27);
}

function checksum(a: number, b: number): number {
  return fmix32(a ^ fmix32(b ^ 0x5bd1e995));
}

function toggle(data: Int32Array, base: number, a: number, b: number, sign: number): void {
  const check = checksum(a, b);
  for (let s = 0; s < 3; s++) {
    const o = base + cellOf(a, b, s) * WORDS;
    data[o] = data[o]! + sign;
    data[o + 1] = data[o + 1]! ^ a;
    data[o + 2] = data[o + 2]! ^ b;
    data[o + 3] = data[o + 3]! ^ check;
  }
}

/**
 * One sketch per group, of the distinct contributors with a present value (when `values` is given). One pass over the
 * rows (contributor by contributor when ids are given, so each contributor enters a group's sketch once).
 */
export function populationSketches(grouping: Grouping, values?: Float64Array): PopulationSketch[] {
  const { groupOf, groupCount, contributors } = grouping;
  const size = SKETCH_CELLS * WORDS;
  const all = new Int32Array(groupCount * size);
  const fp = contributors.fingerprints;
  const { order, offsets } = contributors;
  if (!order || !offsets) {
    for (let i = 0; i < groupOf.length; i++) {
      const g = groupOf[i]!;
      if (g < 0 || (values && values[i] !== values[i])) continue;
      toggle(all, g * size, fp[2 * i]!, fp[2 * i + 1]!, 1);
    }
  } else {
    const stamp = new Int32Array(groupCount).fill(-1);
    for (let c = 0; c < contributors.count; c++) {
      for (let k = offsets[c]!, end = offsets[c + 1]!; k < end; k++) {
        const i = order[k]!;
        const g = groupOf[i]!;
        if (g < 0 || stamp[g] === c || (values && values[i] !== values[i])) continue;
        stamp[g] = c;
        toggle(all, g * size, fp[2 * c]!, fp[2 * c + 1]!, 1);
      }
    }
  }
  return Array.from({ length: groupCount }, (_, g) => ({ version: 1 as const, data: all.subarray(g * size, (g + 1) * size) }));
}

/**
 * A cheap lower bound on the symmetric difference: every contributor in exactly one population moves one count of
 * the first sub-table by one, so the L1 distance of those 32 counts cannot exceed it. Used to skip pairs before
 * sketchDifference.
 */
export function sketchDistanceBound(x: PopulationSketch, y: PopulationSketch): number {
  let l1 = 0;
  for (let k = 0; k < SUB * WORDS; k += WORDS) l1 += Math.abs(x.data[k]! - y.data[k]!);
  return l1;
}

/** How many contributors are in exactly one of two populations. */
export interface SketchDifference {
  /** exact when the sketch resolved every one of them; else an estimate (Infinity when too many to estimate) */
  readonly size: number;
  readonly exact: boolean;
}

/**
 * The symmetric difference of two populations from their sketches: exact by peeling the difference of the two
 * IBLTs when it resolves (always for one contributor; for up to ~50 with high probability, see the tests), else
 * an estimate (see below). Pure.
 * Throws TypeError for sketches of different versions.
 */
export function sketchDifference(x: PopulationSketch, y: PopulationSketch): SketchDifference {
  if (x.version !== 1 || y.version !== 1 || x.data.length !== y.data.length) throw new TypeError('sketches must be of the same version');
  const d = new Int32Array(x.data.length);
  let empty = 0;
  for (let k = 0; k < d.length; k += WORDS) {
    d[k] = x.data[k]! - y.data[k]!;
    d[k + 1] = x.data[k + 1]! ^ y.data[k + 1]!;
    d[k + 2] = x.data[k + 2]! ^ y.data[k + 2]!;
    d[k + 3] = x.data[k + 3]! ^ y.data[k + 3]!;
    if (d[k] === 0 && d[k + 1] === 0 && d[k + 2] === 0 && d[k + 3] === 0) empty++;
  }
  // No empty cell: far more than ~100 differ (49 would leave one empty but with probability ~1e-9). Skip the peeling.
  if (empty === 0) return { size: Infinity, exact: false };
  const pure = (cell: number): boolean => {
    const o = cell * WORDS;
    const count = d[o]!;
    return (count === 1 || count === -1) && d[o + 3] === checksum(d[o + 1]!, d[o + 2]!);
  };
  const queue: number[] = [];
  for (let cell = 0; cell < SKETCH_CELLS; cell++) if (pure(cell)) queue.push(cell);
  let found = 0;
  while (queue.length > 0 && found <= SKETCH_CELLS * 4) {
    const cell = queue.pop()!;
    if (!pure(cell)) continue;
    const o = cell * WORDS;
    const a = d[o + 1]!;
    const b = d[o + 2]!;
    toggle(d, 0, a, b, -d[o]!);
    found++;
    for (let s = 0; s < 3; s++) {
      const next = cellOf(a, b, s);
      if (pure(next)) queue.push(next);
    }
  }
  if (d.every((w) => w === 0)) return { size: found, exact: true };
  // Unresolved: at least two contributors are left (a single one would have peeled). Estimate the whole difference by
  // linear counting on the unpeeled difference — each contributor fills one cell per sub-table, so with z of SUB
  // cells empty on average there are about −SUB·ln(z/SUB) — and take the larger of the two.
  const estimate = -SUB * Math.log(empty / 3 / SUB);
  return { size: Math.max(found + 2, estimate), exact: false };
}

/** The storage bytes of a sketch (little-endian int32s). */
export function sketchToBytes(sketch: PopulationSketch): Uint8Array {
  const out = new Uint8Array(sketch.data.length * 4);
  const view = new DataView(out.buffer);
  sketch.data.forEach((w, k) => view.setInt32(4 * k, w, true));
  return out;
}

/** A sketch from its storage bytes. Throws TypeError for the wrong length. */
export function sketchFromBytes(bytes: Uint8Array): PopulationSketch {
  if (bytes.length !== SKETCH_CELLS * WORDS * 4) throw new TypeError('not a version 1 population sketch');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Int32Array(SKETCH_CELLS * WORDS);
  for (let k = 0; k < data.length; k++) data[k] = view.getInt32(4 * k, true);
  return { version: 1, data };
}
