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
    const u = new Float64Array(n);
    const keys = [...output.keys].sort(([a], [b]) => (a < b ? -1 : 1));
    const numeric = (m: ReadonlyMap<string, Float64Array>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    const measures = numeric(output.measures);
    const features = numeric(output.features);
    for (let lane = 0; lane < LANES; lane++) {
      const powers = this.key.powers[lane]!;
      const fold = (part: number) => {
        let s = this.sums[part * LANES + lane]!;
        for (let e = 0; e < n; e++) s = (s + ((weights[e * LANES + lane]! * u[e]!) % P)) % P;
        this.sums[part * LANES + lane] = s;
      };
      u.fill(1);
      fold(0);
      u.fill(0);
      let j = 1;
      for (const [, key] of keys) j = addKey(u, key, powers, j);
      fold(1);
      u.fill(0);
      j = 1;
      for (const column of measures) j = addFloats(u, column, powers, j);
      for (let e = 0; e < n; e++) u[e] = u[e]! % P;
      fold(2);
      u.fill(0);
      j = 1;
      for (const column of features) j = addFloats(u, column, powers, j);
      for (let e = 0; e < n; e++) u[e] = u[e]! % P;
      fold(3);
      u.fill(0);
      if (output.label) addFloats(u, output.label, powers, 1);
      for (let e = 0; e < n; e++) u[e] = u[e]! % P;
      fold(4);
    }
  }

  /** The first part whose sums differ, or null when every part agrees. */
  firstDifference(other: PartitionDigest): Difference | null {
    for (let part = 0; part < PARTS.length; part++) {
      for (let lane = 0; lane < LANES; lane++) if (this.sums[part * LANES + lane] !== other.sums[part * LANES + lane]) return PARTS[part]!;
    }
    return null;
  }
}

/** Per emitted row, LANES weights in [0, p): AES-128 of the job row number under the job's key (a PRF the model never sees). */
function rowWeights(key: Uint8Array, job: Int32Array): Float64Array {
  const blocks = Buffer.alloc(16 * job.length);
  for (let e = 0; e < job.length; e++) blocks.writeInt32LE(job[e]!, 16 * e);
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(blocks), cipher.final()]);
  const words = new Uint32Array(encrypted.buffer, encrypted.byteOffset, encrypted.length / 4);
  const out = new Float64Array(words.length);
  for (let k = 0; k < words.length; k++) out[k] = words[k]! % P;
  return out;
}

/** A label's hash at the lane's point: Horner over (length + 1, code units + 1), a polynomial of degree ≤ 256. */
function labelHash(label: string, r: number): number {
  let h = label.length + 1;
  for (let i = 0; i < label.length; i++) h = (h * r + label.charCodeAt(i) + 1) % P;
  return h;
}

/** A key's words: (2, its label's hash) present, (1, 0) missing; an integer key (2, low 16 bits, high 16 bits). */
function addKey(u: Float64Array, key: KeyOutput, powers: Float64Array, j: number): number {
  const r = powers[1]!;
  const present = 2 * powers[j]!;
  const missing = powers[j]!;
  if (key.type === 'int') {
    const lo = powers[j + 1]!;
    const hi = powers[j + 2]!;
    for (let e = 0; e < u.length; e++) {
      const v = key.values[e]!;
      u[e] = (u[e]! + present + (v & 0xffff) * lo + (v >>> 16) * hi) % P;
    }
    return j + 3;
  }
  const hashes = Float64Array.from(key.dictionary, (label) => (labelHash(label, r) * powers[j + 1]!) % P);
  for (let e = 0; e < u.length; e++) {
    const c = key.codes[e]!;
    u[e] = (u[e]! + (c < 0 ? missing : present + hashes[c]!)) % P;
  }
  return j + 2;
}

const FLOAT = new Float64Array(1);
const HALVES = new Uint16Array(FLOAT.buffer);

/**
 * A float's four 16-bit words (one NaN, +0 for −0: a value can carry no bit the reductions ignore). Products stay
 * below 2⁴²; at most 256 columns are summed before the caller reduces, so every partial sum is exact.
 */
function addFloats(u: Float64Array, column: Float64Array, powers: Float64Array, j: number): number {
  const w0 = powers[j]!;
  const w1 = powers[j + 1]!;
  const w2 = powers[j + 2]!;
  const w3 = powers[j + 3]!;
  for (let e = 0; e < u.length; e++) {
    const x = column[e]!;
    FLOAT[0] = x !== x ? NaN : x === 0 ? 0 : x;
    u[e] = u[e]! + HALVES[0]! * w0 + HALVES[1]! * w1 + HALVES[2]! * w2 + HALVES[3]! * w3;
  }
  return j + 4;
}
