// The row-locality check in constant memory. Each partition's emission is summarised by a digest: for every part
// (which rows are emitted, their keys, measures, features, label) a sum over the job's rows of R_i · u(row i's
// emission), in four independent lanes modulo the prime p = 2²⁶ − 5, where u is a polynomial hash of the row's
// canonical words at a secret point r and R_i a secret pseudorandom weight of row i (AES under a key of the job).
// The sum does not depend on which shard or in which order a row was emitted, so partitions compare by digests alone.
//
// Exactness: two partitions whose emissions agree row by row have equal digests. If they differ at any row, a lane's
// sums agree with probability at most (L + 2)/p, L the number of words a row's emission has plus the longest label
// (the difference of the two sums is a non-zero polynomial in r of degree ≤ L, or a non-zero linear form in the
// uniform R_i); the four lanes use independent r and R, so a difference escapes with probability at most
// ((L + 2)/p)⁴: below 2⁻⁶⁰ for any output the sandbox accepts (256 columns, labels of 256 characters) and about 2⁻⁷¹
// for a typical one. The model sees neither r nor the weights (docs/disclosure-control.md, "Row-local models").
import { createCipheriv, randomFillSync } from 'node:crypto';
import type { KeyOutput, MapOutput } from '../execution/index.ts';
import type { ShuffleRandom } from './random.ts';

/** The first part that differs: for the audit trail and security staff, never for the operator (it is data-dependent). */
export type Difference = 'rows' | 'keys' | 'measures' | 'features' | 'label';

const PARTS: readonly Difference[] = ['rows', 'keys', 'measures', 'features', 'label'];
const P = 67_108_859;
const LANES = 4;
/** the most words a row's part can have: 256 columns of 4 words, plus one presence word each */
const MAX_WORDS = 256 * 5 + 2;

/** A job's digest secrets: drawn once per job, the same for all its partitions. */
export interface DigestKey {
  /** per lane, its point r in [1, p) and r^j for j = 0 … MAX_WORDS */
  readonly powers: readonly Float64Array[];
  readonly cipherKey: Uint8Array;
}

/** A new key from crypto randomness, or from `random` (tests: reproducible). */
export function digestKey(random?: ShuffleRandom): DigestKey {
  const bytes = new Uint8Array(16 + 4 * LANES);
  if (random) for (let i = 0; i < bytes.length; i++) bytes[i] = random.below(256);
  else randomFillSync(bytes);
  const view = new DataView(bytes.buffer);
  const powers = Array.from({ length: LANES }, (_, lane) => {
    const r = 1 + (view.getUint32(16 + 4 * lane, true) % (P - 1));
    const out = new Float64Array(MAX_WORDS + 1);
    out[0] = 1;
    for (let j = 1; j <= MAX_WORDS; j++) out[j] = (out[j - 1]! * r) % P;
    return out;
  });
  return { powers, cipherKey: bytes.slice(0, 16) };
}

/** One partition's digest, added to shard by shard. */
export class PartitionDigest {
  /** PARTS × LANES sums, each in [0, p) */
  readonly sums = new Float64Array(PARTS.length * LANES);

  constructor(private readonly key: DigestKey) {}

  /**
   * Adds one run's output. `positions[q]` is the job row the model saw at input position q (rows of one job are
   * numbered once, the same way for every partition).
   */
  add(output: MapOutput, positions: Int32Array): void {
    const n = output.length;
    if (n === 0) return;
    const job = new Int32Array(n);
    for (let e = 0; e < n; e++) job[e] = positions[output.rows ? output.rows[e]! : e]!;
    const weights = rowWeights(this.key.cipherKey, job);
    const sums = this.sums;
    // which rows: Σ R_i (each < p, so n < 2²⁷ of them sum exactly)
    for (let lane = 0; lane < LANES; lane++) {
      let s = 0;
      for (let e = 0; e < n; e++) s += weights[e * LANES + lane]!;
      sums[lane] = mod(sums[lane]! + mod(s));
    }
    const byName = <T>(m: ReadonlyMap<string, T>): T[] => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    const u = new Float64Array(n * LANES);
    const fold = (part: number) => {
      for (let lane = 0; lane < LANES; lane++) {
        let s = sums[part * LANES + lane]!;
        for (let e = 0; e < n; e++) s = mod(s + mod(weights[e * LANES + lane]! * mod(u[e * LANES + lane]!)));
        sums[part * LANES + lane] = s;
      }
    };
    // an empty part (no keys, no features, no label) adds nothing, the same in every partition: the shape is compared
    if (output.keys.size > 0) {
      let j = 1;
      for (const key of byName(output.keys)) j = addKey(u, n, key, this.key.powers, j);
      fold(1);
    }
    const numeric = (columns: readonly Float64Array[], part: number) => {
      if (columns.length === 0) return;
      u.fill(0);
      let j = 1;
      for (const column of columns) j = addFloats(u, n, column, this.key.powers, j);
      fold(part);
    };
    numeric(byName(output.measures), 2);
    numeric(byName(output.features), 3);
    numeric(output.label ? [output.label] : [], 4);
  }

  /** The first part whose sums differ, or null when every part agrees. */
  firstDifference(other: PartitionDigest): Difference | null {
    for (let part = 0; part < PARTS.length; part++) {
      for (let lane = 0; lane < LANES; lane++) if (this.sums[part * LANES + lane] !== other.sums[part * LANES + lane]) return PARTS[part]!;
    }
    return null;
  }
}

/** x mod p for 0 ≤ x < 2⁵³, without the floating-point remainder (a slow library call in V8). */
function mod(x: number): number {
  const r = x - Math.floor(x * INVERSE_P) * P;
  return r < 0 ? r + P : r >= P ? r - P : r;
}
const INVERSE_P = 1 / P;

/** Per emitted row, LANES weights in [0, p): AES-128 of the job row number under the job's key (a PRF the model never sees). */
function rowWeights(key: Uint8Array, job: Int32Array): Float64Array {
  const blocks = new Int32Array(4 * job.length);
  for (let e = 0; e < job.length; e++) blocks[4 * e] = job[e]!;
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(new Uint8Array(blocks.buffer)), cipher.final()]);
  const words = new Uint32Array(encrypted.buffer, encrypted.byteOffset, encrypted.length / 4);
  const out = new Float64Array(words.length);
  for (let k = 0; k < words.length; k++) out[k] = mod(words[k]!);
  return out;
}

/** A label's hash at the lane's point: Horner over (length + 1, code units + 1), a polynomial of degree ≤ 256. */
function labelHash(label: string, r: number): number {
  let h = label.length + 1;
  for (let i = 0; i < label.length; i++) h = mod(h * r + label.charCodeAt(i) + 1);
  return h;
}

/**
 * Adds a key's words to every row's hash (u is row-major, LANES a row): (2, its label's hash) when present, (1, 0)
 * when missing; an integer key (2, low 16 bits, high 16 bits). Every term is reduced, so u stays below 2³⁵.
 */
function addKey(u: Float64Array, n: number, key: KeyOutput, powers: readonly Float64Array[], j: number): number {
  if (key.type === 'int') {
    for (let lane = 0; lane < LANES; lane++) {
      const p = powers[lane]!;
      const present = 2 * p[j]!;
      const lo = p[j + 1]!;
      const hi = p[j + 2]!;
      for (let e = 0; e < n; e++) {
        const v = key.values[e]!;
        u[e * LANES + lane] = u[e * LANES + lane]! + mod(present + (v & 0xffff) * lo + (v >>> 16) * hi);
      }
    }
    return j + 3;
  }
  // per dictionary entry and lane, the entry's whole term: 2·r^j + H(label)·r^(j+1)
  const size = key.dictionary.length;
  const terms = new Float64Array(size * LANES);
  const missing = new Float64Array(LANES);
  for (let lane = 0; lane < LANES; lane++) {
    const p = powers[lane]!;
    missing[lane] = p[j]!;
    for (let c = 0; c < size; c++) terms[c * LANES + lane] = mod(2 * p[j]! + mod(labelHash(key.dictionary[c]!, p[1]!) * p[j + 1]!));
  }
  const codes = key.codes;
  for (let e = 0; e < n; e++) {
    const c = codes[e]!;
    const o = e * LANES;
    if (c < 0) for (let lane = 0; lane < LANES; lane++) u[o + lane] = u[o + lane]! + missing[lane]!;
    else {
      const t = c * LANES;
      u[o] = u[o]! + terms[t]!;
      u[o + 1] = u[o + 1]! + terms[t + 1]!;
      u[o + 2] = u[o + 2]! + terms[t + 2]!;
      u[o + 3] = u[o + 3]! + terms[t + 3]!;
    }
  }
  return j + 2;
}

const FLOAT = new Float64Array(1);
const HALVES = new Uint16Array(FLOAT.buffer);

/**
 * Adds a float column's words (four 16-bit words a value; one NaN, +0 for −0: a value can carry no bit the reductions
 * ignore). A value's terms stay below 2⁴⁴; at most 256 columns are summed before fold reduces, so sums are exact.
 */
function addFloats(u: Float64Array, n: number, column: Float64Array, powers: readonly Float64Array[], j: number): number {
  const w = new Float64Array(4 * LANES);
  for (let lane = 0; lane < LANES; lane++) for (let k = 0; k < 4; k++) w[4 * lane + k] = powers[lane]![j + k]!;
  for (let e = 0; e < n; e++) {
    const x = column[e]!;
    FLOAT[0] = x !== x ? NaN : x === 0 ? 0 : x;
    const h0 = HALVES[0]!, h1 = HALVES[1]!, h2 = HALVES[2]!, h3 = HALVES[3]!;
    const o = e * LANES;
    u[o] = u[o]! + h0 * w[0]! + h1 * w[1]! + h2 * w[2]! + h3 * w[3]!;
    u[o + 1] = u[o + 1]! + h0 * w[4]! + h1 * w[5]! + h2 * w[6]! + h3 * w[7]!;
    u[o + 2] = u[o + 2]! + h0 * w[8]! + h1 * w[9]! + h2 * w[10]! + h3 * w[11]!;
    u[o + 3] = u[o + 3]! + h0 * w[12]! + h1 * w[13]! + h2 * w[14]! + h3 * w[15]!;
  }
  return j + 4;
}
