// Contributor ids: the batched SM4-CBC-MAC equals the plain per-row definition, and behaves as a keyed PRF would
// under the probes an attacker who controls some person ids (a steward's load) would try.
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Random } from '../../data/index.ts';
import { createPseudonymizer, derivePseudonymKey } from '../../policies/index.ts';
import { contributorsFromIds } from '../reduce/index.ts';
import { contributorHasher, contributorHex, contributorIdKey, type PersonIdColumn } from './contributor-ids.ts';
import { TEST_PSEUDONYM_SECRET } from './testing.ts';

const KEY = derivePseudonymKey(TEST_PSEUDONYM_SECRET, 'platform:contributors');

/** A batch column as the columnar reader hands it over: UTF-8 bytes end to end, null where the id is null. */
function column(ids: readonly (string | Uint8Array | null)[]): PersonIdColumn {
  const parts = ids.map((id) => (id === null ? new Uint8Array(0) : typeof id === 'string' ? Buffer.from(id, 'utf8') : id));
  const offsets = new Int32Array(ids.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const bytes = new Uint8Array(offsets[ids.length]!);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { kind: 'bytes', offsets, bytes, nulls: Uint8Array.from(ids, (id) => (id === null ? 1 : 0)) };
}

/**
 * The definition, row by row: CBC (zero IV) over E(m), the last block. E(m) is 0x80 ‖ len ‖ a nibble a character for
 * up to 28 characters of 0-9 and X, else len(m) as 4 bytes big-endian ‖ m ‖ zeros to a multiple of 16.
 */
function reference(key: Uint8Array, id: string | Uint8Array): string {
  const m = typeof id === 'string' ? Buffer.from(id, 'utf8') : Buffer.from(id);
  let encoded: Buffer;
  if (m.length <= 28 && /^[0-9X]*$/.test(m.toString('latin1'))) {
    const nibbles = m.toString('latin1').replaceAll('X', 'a').padEnd(28, '0');
    encoded = Buffer.concat([Buffer.from([0x80, m.length]), Buffer.from(nibbles, 'hex')]);
  } else {
    encoded = Buffer.alloc(16 * Math.ceil((4 + m.length) / 16));
    encoded.writeUInt32BE(m.length, 0);
    m.copy(encoded, 4);
  }
  const cipher = createCipheriv('sm4-cbc', contributorIdKey(key), Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const out = Buffer.concat([cipher.update(encoded), cipher.final()]);
  return out.subarray(out.length - 16).toString('hex');
}

function hexes(key: Uint8Array, ids: readonly (string | Uint8Array | null)[]): (string | null)[] {
  const { words, missing } = contributorHasher(key)(column(ids), ids.length);
  return ids.map((_, i) => (missing[i] ? null : contributorHex(words, i)));
}

const ALPHABET = ['0', '9', 'X', 'a', '-', ' ', '\u0000', 'é', '张', '𠀀'];

function randomId(random: Random, length: number): string {
  let s = '';
  while (s.length < length) s += ALPHABET[random.int(0, ALPHABET.length - 1)]!;
  return s;
}

describe('contributor ids (SM4-CBC-MAC over a length-prefixed encoding)', () => {
  it('uses SM4 as GB/T 32907 defines it (the standard’s example)', () => {
    const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', k, null);
    cipher.setAutoPadding(false);
    expect(cipher.update(k).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('equals the per-row definition on random ids of 0..100 characters (multi-byte UTF-8, nulls), batch after batch', () => {
    const random = new Random('contributor-ids');
    const hasher = contributorHasher(KEY);
    // batches that shrink and grow (the hasher reuses its buffers), one of nulls only, one empty
    for (const size of [1, 700, 3, 0, 2_000, 5, 64]) {
      const ids = Array.from({ length: size }, () => (random.chance(0.05) ? null : randomId(random, random.int(0, 100))));
      if (size === 5) ids.fill(null);
      const { words, fingerprints, missing } = hasher(column(ids), size);
      expect(words).toHaveLength(4 * size);
      expect(fingerprints).toHaveLength(2 * size);
      const got = ids.map((_, i) => (missing[i] ? null : contributorHex(words, i)));
      expect(got).toEqual(ids.map((id) => (id === null ? null : reference(KEY, id))));
    }
  });

  it('covers every block boundary, packed and general, and long ids exactly (lengths 0..70, 64 KiB, raw bytes)', () => {
    const bytes = randomBytes(70);
    const digits = Buffer.from('1234567890X'.repeat(4));
    const ids: Uint8Array[] = Array.from({ length: 71 }, (_, n) => bytes.subarray(0, n));
    ids.push(...Array.from({ length: 41 }, (_, n) => digits.subarray(0, n)));
    ids.push(randomBytes(65_536), randomBytes(200_003));
    expect(hexes(KEY, ids)).toEqual(ids.map((id) => reference(KEY, id)));
  });

  it('fingerprints each id as contributorsFromIds fingerprints its hex, so job cells and statistics cells compare', () => {
    const ids = ['110101199001011234', '11010119900101123X', '', '张三', 'a'.repeat(40)];
    const { words, fingerprints } = contributorHasher(KEY)(column(ids), ids.length);
    const fromHex = contributorsFromIds({ codes: Int32Array.from(ids, (_, i) => i), dictionary: ids.map((_, i) => contributorHex(words, i)) });
    expect(Array.from(fingerprints)).toEqual(Array.from(fromHex.fingerprints));
  });

  it('gives equal ids equal words, in one batch and across batches', () => {
    const hasher = contributorHasher(KEY);
    const a = hasher(column(['110101199001011234', 'x', '110101199001011234']), 3);
    const b = hasher(column(['110101199001011234']), 1);
    expect(contributorHex(a.words, 0)).toBe(contributorHex(a.words, 2));
    expect(contributorHex(b.words, 0)).toBe(contributorHex(a.words, 0));
    expect(Array.from(b.fingerprints)).toEqual(Array.from(a.fingerprints.subarray(0, 2)));
  });

  it('separates what an attacker would try to make collide: splits, trailing zero bytes, lengths, block-sized prefixes', () => {
    const probes = [
      'abc', 'ab', 'a', 'bc', 'c', '',
      '\u0000', '\u0000\u0000', 'abc\u0000', 'abc\u0000\u0000\u0000\u0000', '\u0000abc',
      // 12 bytes fill block 1 after the length; 28 fill block 2: ids that are another id's encoding continued
      '123456789012', '123456789012\u0000\u0000\u0000\u0000', '1234567890123456789012345678', '1234567890123456789012345678\u0000',
      '110101199001011234', '110101199001011235', '11010119900101123X', '11010119900101123x',
      // packed (digits and X) beside general ids that read alike: leading zeros, trailing zero bytes, 28 and 29 digits
      '0', '00', '0\u0000', '1', '1X', '1:', '01', '10', '0'.repeat(28), '0'.repeat(29), '9'.repeat(28), `${'9'.repeat(28)}\u0000`,
    ];
    const got = hexes(KEY, probes);
    expect(new Set(got).size).toBe(probes.length);
    // an id whose bytes are another id's encoded block (length prefix or packed tag included) is still a different id
    const forged = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('abc'), Buffer.alloc(9)]);
    const forgedPacked = Buffer.concat([Buffer.from([0x80, 1, 0x10]), Buffer.alloc(13)]);
    const [a, b] = hexes(KEY, [forged, forgedPacked]);
    expect(a).not.toBe(got[0]);
    expect(b).not.toBe(got[probes.indexOf('1')]);
  });

  it('gives unrelated ids under another key (another PSEUDONYM_SECRET) and never the raw id or the old HMAC pseudonym', () => {
    const other = derivePseudonymKey(randomBytes(32), 'platform:contributors');
    const ids = ['110101199001011234', '', '张三'];
    const mine = hexes(KEY, ids);
    const theirs = hexes(other, ids);
    for (let i = 0; i < ids.length; i++) expect(theirs[i]).not.toBe(mine[i]);
    expect(mine[0]).not.toBe(createPseudonymizer(KEY)(ids[0]!));
    expect(mine.join('')).not.toContain('110101199001011234');
  });

  it('refuses a key shorter than 128 bits', () => {
    expect(() => contributorHasher(new Uint8Array(15))).toThrow(TypeError);
  });
});
