// Feature-major encrypted scoring: exact up to CKKS precision without noise, the noise's spread when asked, the
// refusals of unfit weight ciphertexts, and the secret-key screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import {
  ckksConjugationKey,
  ckksDecrypt,
  ckksEncrypt,
  ckksEncryptBroadcast,
  ckksScoreColumns,
  createSealContext,
  deserializeCiphertext,
  deserializeSealKeys,
  generateSealKeys,
  isSerializedSecretKey,
  sealBytesToBase64,
  serializeSealKey,
  type SealCiphertext,
  type SealContext,
  type SealKeys,
} from './index.ts';

let ckks: SealContext;
let keys: SealKeys;
let server: SealKeys;

beforeAll(async () => {
  ckks = await createSealContext('ckks-8192');
  keys = generateSealKeys(ckks, { relin: false, galois: false });
  server = deserializeSealKeys(ckks, { publicKey: serializeSealKey(keys, 'public-key'), galoisKeys: ckksConjugationKey(keys) });
});
afterAll(() => {
  server?.delete();
  keys?.delete();
  ckks?.delete();
});

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const load = (bytes: Uint8Array[]) => bytes.map((b) => deserializeCiphertext(ckks, b));
const free = (cts: SealCiphertext[]) => cts.forEach((c) => c.delete());

describe('ckksScoreColumns', () => {
  it('computes Σ w_j ⊙ x_j per slot from broadcast weights, at the last level, with the public key and the conjugation key only', () => {
    const w = [0.5, -1.25, 2, 0.125];
    const n = 700;
    const cols = w.map((_, j) => Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.3 + j) * 3));
    const weights = load(ckksEncryptBroadcast(keys, w));
    const out = ckksScoreColumns(server, weights, cols, { noiseSd: 0 });
    try {
      expect(out.native.coeffModulusSize()).toBe(1);
      const got = ckksDecrypt(keys, out, n + 5);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - w.reduce((s, wj, j) => s + wj * cols[j]![i]!, 0))).toBeLessThan(1e-5);
      for (let i = n; i < n + 5; i++) expect(Math.abs(got[i]!)).toBeLessThan(1e-5);
    } finally {
      out.delete();
      free(weights);
    }
  });

  it('adds Gaussian noise of the asked spread, and skips all-zero columns', () => {
    const weights = load(ckksEncryptBroadcast(keys, [1, 3]));
    const n = 4000;
    const out = ckksScoreColumns(server, weights, [new Float64Array(n).fill(2), new Float64Array(n)], { noiseSd: 0.01 });
    try {
      const got = ckksDecrypt(keys, out, n);
      const mean = got.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(got.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(mean - 2)).toBeLessThan(0.002);
      expect(sd).toBeGreaterThan(0.008);
      expect(sd).toBeLessThan(0.012);
    } finally {
      out.delete();
      free(weights);
    }
  });

  it('refuses weights of different levels, a mismatched count, non-finite features, no public key, no conjugation key', () => {
    const [low] = load(ckksEncryptBroadcast(keys, [1]));
    const top = ckksEncrypt(keys, [1]);
    const col = new Float64Array(10).fill(1);
    try {
      expect(refusal(() => ckksScoreColumns(server, [low!, top], [col, col], { noiseSd: 0 })).message).toMatch(/another level or scale/);
      expect(refusal(() => ckksScoreColumns(server, [low!], [col, col], { noiseSd: 0 })).message).toMatch(/1 weight ciphertexts for 2/);
      expect(refusal(() => ckksScoreColumns(server, [low!], [Float64Array.of(1, Number.NaN)], { noiseSd: 0 })).message).toMatch(/non-finite/);
      const noPk = deserializeSealKeys(ckks, {});
      expect(refusal(() => ckksScoreColumns(noPk, [low!], [col], { noiseSd: 0 })).details).toMatchObject({ reason: 'missing-key' });
      noPk.delete();
      const noConj = deserializeSealKeys(ckks, { publicKey: serializeSealKey(keys, 'public-key') });
      expect(refusal(() => ckksScoreColumns(noConj, [low!], [col], { noiseSd: 0 })).message).toMatch(/conjugation Galois key/);
      // without the symmetrization the public key suffices
      const plain = ckksScoreColumns(noConj, [low!], [col], { noiseSd: 0, symmetrize: false });
      expect(Math.abs(ckksDecrypt(keys, plain, 1)[0]! - 1)).toBeLessThan(1e-5);
      plain.delete();
      noConj.delete();
    } finally {
      low!.delete();
      top.delete();
    }
  });
});

describe('isSerializedSecretKey', () => {
  it('recognises a secret key in an envelope, in base64 and in SEAL raw form; nothing else', () => {
    const sk = serializeSealKey(keys, 'secret-key');
    expect(isSerializedSecretKey(ckks, sk)).toBe(true);
    expect(isSerializedSecretKey(ckks, sealBytesToBase64(sk))).toBe(true);
    expect(isSerializedSecretKey(ckks, keys.secretKey!.saveToArray(ckks.seal.ComprModeType.zstd))).toBe(true);
    expect(isSerializedSecretKey(ckks, serializeSealKey(keys, 'public-key'))).toBe(false);
    expect(isSerializedSecretKey(ckks, keys.publicKey!.saveToArray(ckks.seal.ComprModeType.zstd))).toBe(false);
    expect(isSerializedSecretKey(ckks, 'not base64 !')).toBe(false);
    expect(isSerializedSecretKey(ckks, new Uint8Array(40))).toBe(false);
  });
});
