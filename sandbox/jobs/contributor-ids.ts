// The platform's contributor id of each person-level row: a keyed pseudonym of the person id that the job never sees,
// by which contributors are counted, bounded, partitioned and compared in the differencing ledger.
//
// The id is SM4-CBC-MAC (GB/T 32907 block cipher, OpenSSL's `sm4-ecb`) of a prefix-free encoding of the person id's
// bytes, computed over whole batches: per block position, one native SM4 call for every row that has a block there,
// instead of an HMAC-SM3 in JavaScript per row. A resident id (18 characters of 0-9 and X) packs into one block, so a
// batch of them costs one native call. SM4 rather than AES: the id protects a national identifier kept in the
// platform's own tables (the ledger's sketches), so it stays on the national algorithms, as the SM3 pseudonyms do; and
// at one block a row the cipher is about half the cost (AES-128 would make the whole hasher about 1.4× faster here,
// not the 5-8× of the bare ciphers), the rest being the packing and the fingerprints (bench group `masking`).
//
// Why this is a pseudorandom function (so ids are unlinkable to person ids without the key, and distinct people get
// distinct ids but for a 2⁻¹²⁸-scale chance):
// - Encoding E(m), one of two kinds, told apart by the first byte:
//   · packed, for m of at most 28 bytes all in [0-9X]: 0x80 ‖ len(m) ‖ one nibble a character (digit d → d, X → 10),
//     zero bytes up to 16: exactly one block;
//   · general, for every other m: len(m) as 4 bytes big-endian (first byte < 0x80: lengths are 31-bit) ‖ m ‖ zero
//     bytes up to a multiple of 16.
//   E is injective (the first byte says which kind; the length says where m ends, the nibbles or bytes what it is).
//   E is prefix-free: if E(m) were a block-wise prefix of E(m'), their first blocks would agree, so both are of one
//   kind with len(m) = len(m'), so both have the same number of blocks and E(m) = E(m'), so m = m'. Every length a
//   batch can hold is encoded (its offsets are 31-bit; PostgreSQL's text stops at 1 GB): there is no limit to fail
//   on, a long id only adds block positions, each one native call for the rows still going.
// - CBC-MAC over a prefix-free message space is a PRF when the block cipher is a PRP (Bellare, Kilian and Rogaway
//   1994 for fixed length; Petrank and Rackoff 2000 for prefix-free; Bellare, Pietrzak and Rogaway 2005 bound the
//   advantage by about q²ℓ/2¹²⁸ for q messages of at most ℓ blocks). At 10⁸ people of ≤ 4 blocks that is ~10⁻²².
//   Without prefix-freeness CBC-MAC is forgeable by extension — which is why the length comes first, not last.
// - The key is its own: a 128-bit subkey HMAC-SM3(contributor key, label)[0..16), so the SM4 key is never the HMAC
//   key of anything else (key separation), and rotating PSEUDONYM_SECRET rotates it.
//
// Output: 128 bits as 4 big-endian words a row, and the sketch fingerprint of each (two FNV hashes of the id's
// 32-character hex, as contributorsFromIds fingerprints the same hex, so jobs' and statistics' cells compare).
import { createCipheriv } from 'node:crypto';
import { hmacSm3 } from '../../policies/index.ts';
import type { BatchColumn } from '../../store/index.ts';
import { fmix32 } from '../reduce/index.ts';

/** Contributor ids of a batch: 4 words and 2 fingerprint words a row; `missing[i]` = 1 for a null person id. */
export interface ContributorIds {
  readonly words: Int32Array;
  readonly fingerprints: Int32Array;
  readonly missing: Uint8Array;
}

export type PersonIdColumn = Extract<BatchColumn, { kind: 'bytes' }>;

/** Changing it (or the encoding) changes every contributor id: the differencing ledger would no longer compare. */
const SUBKEY_LABEL = 'gov-data-platform/contributor-id/sm4-cbc-mac/v1';
const MIN_KEY_BYTES = 16;

/** The 128-bit SM4 key of contributor ids under the platform's contributor key. Throws TypeError for a short key. */
export function contributorIdKey(contributorKey: Uint8Array): Buffer {
  if (!(contributorKey instanceof Uint8Array) || contributorKey.length < MIN_KEY_BYTES) throw new TypeError(`the contributor key must be at least ${MIN_KEY_BYTES} bytes`);
  return Buffer.from(hmacSm3(contributorKey).mac(new TextEncoder().encode(SUBKEY_LABEL)).subarray(0, 16));
}

/** Blocks of the general E(m) for an m of `length` bytes. */
const blocksOf = (length: number): number => (length + 19) >>> 4;
const PACKED = 0x80;
const MAX_PACKED = 28;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_X = 0x58;

/**
 * Writes the packed E(m) of m = bytes[start, start + length) at out[o, o + 16) and returns true when m qualifies;
 * otherwise returns false, having written part of the block (the caller writes the general block over it).
 */
function packed(bytes: Uint8Array, start: number, length: number, out: Uint8Array, o: number): boolean {
  if (length > MAX_PACKED) return false;
  out[o] = PACKED;
  out[o + 1] = length;
  for (let b = 0; b < length; b += 2) {
    const hi = nibble(bytes[start + b]!);
    const lo = b + 1 < length ? nibble(bytes[start + b + 1]!) : 0;
    if ((hi | lo) < 0) return false;
    out[o + 2 + (b >>> 1)] = (hi << 4) | lo;
  }
  for (let b = 2 + ((length + 1) >>> 1); b < 16; b++) out[o + b] = 0;
  return true;
}

/** 0-9 for a digit, 10 for X, -1 for any other byte. */
const nibble = (c: number): number => (c >= DIGIT_0 && c <= DIGIT_9 ? c - DIGIT_0 : c === LETTER_X ? 10 : -1);

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * A hasher of person-id columns under the platform's contributor key (`derivePseudonymKey(secret,
 * 'platform:contributors')`). Build once per job; call per batch. Throws TypeError for a key shorter than 16 bytes.
 */
export function contributorHasher(contributorKey: Uint8Array): (column: PersonIdColumn, rows: number) => ContributorIds {
  // ECB with no padding over whole blocks keeps no state between calls: one cipher object serves every batch
  const cipher = createCipheriv('sm4-ecb', contributorIdKey(contributorKey), null);
  cipher.setAutoPadding(false);
  let active = new Int32Array(0);
  let next = new Int32Array(0);
  let blocks = new Int32Array(0);
  let input = new Uint8Array(0);

  return (column, rows) => {
    const { offsets, bytes, nulls } = column;
    const words = new Int32Array(4 * rows);
    const fingerprints = new Int32Array(2 * rows);
    const missing = new Uint8Array(rows);
    if (active.length < rows) {
      active = new Int32Array(rows);
      next = new Int32Array(rows);
      blocks = new Int32Array(rows);
      input = new Uint8Array(16 * rows);
    }

    // block 0 of every row with a person id (the chaining state is zero): packed, or the length and 12 bytes
    let m = 0;
    for (let i = 0; i < rows; i++) {
      if (nulls[i]) {
        missing[i] = 1;
        continue;
      }
      const start = offsets[i]!;
      const length = offsets[i + 1]! - start;
      const o = 16 * m;
      active[m++] = i;
      if (packed(bytes, start, length, input, o)) {
        blocks[i] = 1;
        continue;
      }
      blocks[i] = blocksOf(length);
      input[o] = length >>> 24;
      input[o + 1] = length >>> 16;
      input[o + 2] = length >>> 8;
      input[o + 3] = length;
      const n = length < 12 ? length : 12;
      for (let b = 0; b < n; b++) input[o + 4 + b] = bytes[start + b]!;
      for (let b = 4 + n; b < 16; b++) input[o + b] = 0;
    }

    // block j: state ⊕ the row's block j for every row that has one; rows done after j blocks take their MAC
    for (let j = 1; m > 0; j++) {
      // a plain Uint8Array view: element access stays monomorphic (Buffer's is not, beside the reader's Uint8Arrays)
      const out = cipher.update(input.subarray(0, 16 * m));
      const state = new Uint8Array(out.buffer, out.byteOffset, out.length);
      let kept = 0;
      for (let k = 0; k < m; k++) {
        const i = active[k]!;
        const start = offsets[i]!;
        const length = offsets[i + 1]! - start;
        const s = 16 * k;
        if (blocks[i] === j) {
          finish(state, s, i, words, fingerprints);
          continue;
        }
        const o = 16 * kept;
        const from = start + 16 * j - 4;
        const n = Math.min(16, start + length - from);
        for (let b = 0; b < n; b++) input[o + b] = state[s + b]! ^ bytes[from + b]!;
        for (let b = n; b < 16; b++) input[o + b] = state[s + b]!;
        next[kept++] = i;
      }
      [active, next] = [next, active];
      m = kept;
    }
    return { words, fingerprints, missing };
  };
}

/** Row i's id from its MAC at state[s, s + 16): 4 big-endian words and the two fingerprints of its hex. */
function finish(state: Uint8Array, s: number, i: number, words: Int32Array, fingerprints: Int32Array): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x2f0b3c6d | 0;
  for (let b = 0; b < 16; b++) {
    const byte = state[s + b]!;
    const hi = HEX[byte >>> 4]!;
    const lo = HEX[byte & 15]!;
    h1 = Math.imul(Math.imul(h1 ^ hi, 0x01000193) ^ lo, 0x01000193);
    h2 = Math.imul(Math.imul(h2 ^ hi, 0x01000193) ^ lo, 0x01000193);
  }
  for (let w = 0; w < 4; w++) words[4 * i + w] = (state[s + 4 * w]! << 24) | (state[s + 4 * w + 1]! << 16) | (state[s + 4 * w + 2]! << 8) | state[s + 4 * w + 3]!;
  fingerprints[2 * i] = fmix32(h1 ^ 32);
  fingerprints[2 * i + 1] = fmix32(h2 ^ 32);
}

/** The 32-character hex of a contributor's words: the contributor id itself. */
export function contributorHex(words: Int32Array, at: number): string {
  let s = '';
  for (let w = 0; w < 4; w++) s += (words[4 * at + w]! >>> 0).toString(16).padStart(8, '0');
  return s;
}
