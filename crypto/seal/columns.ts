// Encrypted scoring in the feature-major layout: slot i is enterprise i; the weights come as one ciphertext per
// feature, each holding w_j in every slot. Σ_j w_j ⊙ x_j needs plaintext multiplies and ciphertext adds only: no
// rotation, no Galois or relinearization keys, no ciphertext–plaintext add, no masking (every slot is a score).
import { randomBytes } from 'node:crypto';
import type { SealContext } from './context.ts';
import { requireScheme, requireSameContext, wrapCiphertext, type SealCiphertext } from './ciphertext.ts';
import { openEnvelope, toBytes, wrapEnvelope, ENVELOPE_HEADER_BYTES, type SealBytes } from './envelope.ts';
import type { SealKeys } from './keys.ts';
import type { ParmsIdType, PlainText } from './runtime.ts';
import { guard, sealError } from './runtime.ts';

/**
 * Weights are encrypted at the level with this many primes: one rescale (after the plaintext multiply) takes the
 * result to the last level, so the upload and the answer are as small as the computation allows (ckks-8192: 2 of 3
 * primes up, 1 prime back; |score| < 2^19 at scale 2^40).
 */
export const SCORING_WEIGHT_PRIMES = 2;

/** What the evaluating party may check about a ciphertext without the secret key. */
export interface CiphertextShape {
  /** primes of the ciphertext's level (fresh at the first data level: SealContext.firstLevelPrimes) */
  primes: number;
  scale: number;
  /** polynomials: 2 for a fresh or relinearized ciphertext */
  size: number;
  transparent: boolean;
  ntt: boolean;
}

export function ciphertextShape(ct: SealCiphertext): CiphertextShape {
  const n = ct.native;
  return { primes: n.coeffModulusSize(), scale: n.scale(), size: n.size(), transparent: n.isTransparent(), ntt: n.isNttForm() };
}

/** The parms_id of the level with `primes` primes (a handle the caller deletes). */
function levelWithPrimes(context: SealContext, primes: number): ParmsIdType {
  let data = context.native.firstContextData();
  for (;;) {
    const parms = data.parms();
    const coeff = parms.coeffModulus();
    const count = coeff.size();
    coeff.delete();
    parms.delete();
    if (count <= primes) break;
    const next = data.nextContextData();
    data.delete();
    data = next;
  }
  const id = data.parmsId();
  data.delete();
  return id;
}

function encodeAt(context: SealContext, values: Float64Array, scale: number, level: ParmsIdType): PlainText {
  const plain = new context.seal.Plaintext();
  try {
    guard('CKKS encoding', () => context.ckksEncoder!.encode(values, scale, plain));
    guard('plaintext level switch', () => context.evaluator.plainModSwitchToInplace(plain, level));
  } catch (err) {
    plain.delete();
    throw err;
  }
  return plain;
}

/**
 * Client side: one seeded (compact) ciphertext per value, the value in every slot, at the scoring level
 * (SCORING_WEIGHT_PRIMES). Needs the secret key (seeded encryption is symmetric). The order is the caller's: the
 * weights of the features in request order, then the bias.
 */
export function ckksEncryptBroadcast(keys: SealKeys, values: readonly number[]): Uint8Array[] {
  const { context } = keys;
  requireScheme(context, 'ckks', 'broadcast encryption');
  if (!keys.secretKey) throw sealError('missing-key', 'compact (seeded) encryption needs the secret key');
  if (context.firstLevelPrimes < SCORING_WEIGHT_PRIMES) throw sealError('bad-input', `${context.preset} has too few primes for encrypted scoring`);
  const level = levelWithPrimes(context, SCORING_WEIGHT_PRIMES);
  const slots = new Float64Array(context.slotCount);
  try {
    return values.map((v, i) => {
      if (!Number.isFinite(v)) throw sealError('bad-input', `value ${i} is not a finite number`, { index: i });
      slots.fill(v);
      const plain = encodeAt(context, slots, context.scale, level);
      try {
        const ser = guard('seeded encryption', () => keys.encryptor().encryptSymmetricSerializable(plain));
        try {
          const payload: Uint8Array = guard('serializing ciphertext', () => ser.saveToArray(context.seal.ComprModeType.zstd));
          return wrapEnvelope(context, { kind: 'ciphertext', seeded: true }, payload);
        } finally {
          ser.delete();
        }
      } finally {
        plain.delete();
      }
    });
  } finally {
    level.delete();
  }
}

/**
 * True when `data` is a secret key: an envelope saying so, or SEAL's own secret-key serialization without an
 * envelope. The evaluating party refuses such input (and the sender should rotate the key: it has been disclosed).
 */
export function isSerializedSecretKey(context: SealContext, data: SealBytes): boolean {
  let bytes: Uint8Array;
  try {
    bytes = toBytes(data, 'data');
  } catch {
    return false;
  }
  if (bytes.length >= ENVELOPE_HEADER_BYTES && bytes[0] === 0x53 && bytes[1] === 0x45 && bytes[2] === 0x41 && bytes[3] === 0x4c) {
    return bytes[5] === 3;
  }
  const sk = new context.seal.SecretKey();
  try {
    sk.loadFromArray(context.native, bytes);
    return true;
  } catch {
    return false;
  } finally {
    sk.delete();
  }
}

/** A standard normal deviate per slot (Box–Muller over the OS's randomness: the key holder must not predict it). */
function gaussian(count: number, sd: number): Float64Array {
  const out = new Float64Array(count);
  const raw = randomBytes(count * 8);
  const words = new Uint32Array(raw.buffer, raw.byteOffset, count * 2);
  for (let i = 0; i < count; i += 2) {
    const u1 = (words[i]! + 1) / 4294967297; // (0, 1): never log(0)
    const u2 = words[i + 1]! / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1)) * sd;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** SEAL's Galois element of complex conjugation (X → X^(2N−1)): the key `ckksConjugationKey` makes. */
export function conjugationElement(context: SealContext): number {
  return 2 * context.polyModulusDegree - 1;
}

/**
 * Client side: the one Galois key encrypted scoring needs, for complex conjugation, seeded, in the envelope
 * (`galois-keys`; ~0.7 MB for ckks-8192, against ~10 MB for the rotation defaults). Needs the secret key.
 */
export function ckksConjugationKey(keys: SealKeys): Uint8Array {
  const { context } = keys;
  requireScheme(context, 'ckks', 'conjugation key');
  if (!keys.secretKey) throw sealError('missing-key', 'making a Galois key needs the secret key');
  const keygen = new context.seal.KeyGenerator(context.native, keys.secretKey);
  try {
    // step 0 is SEAL's name for conjugation (element 2N − 1)
    const ser = guard('Galois key generation', () => keygen.createGaloisKeysSerializableWithSteps(Int32Array.of(0)));
    try {
      return wrapEnvelope(context, { kind: 'galois-keys', seeded: true }, guard('serializing Galois keys', (): Uint8Array => ser.saveToArray(context.seal.ComprModeType.zstd)));
    } finally {
      ser.delete();
    }
  } finally {
    keygen.delete();
  }
}

export interface ScoreColumnsOptions {
  /**
   * Standard deviation of Gaussian noise added to every slot by a fresh public-key encryption (noise flooding):
   * it re-randomizes the answer and drowns the (feature-dependent) error the key holder could otherwise analyse.
   * 0 disables it (tests of exactness only).
   */
  noiseSd: number;
  /**
   * Replace the answer by (ct + conj(ct)) / 2 (needs the conjugation Galois key): the slots keep their real part and
   * the imaginary half of the plaintext space, which real-valued noise cannot cover, is emptied — the feature-dependent
   * error there is gone instead of merely drowned. Default true.
   */
  symmetrize?: boolean;
}

/**
 * Evaluating side: Σ_j weights[j] ⊙ columns[j] (+ noise), one ciphertext whose slot i is the score of row i.
 * `weights` are fresh CKKS ciphertexts (e.g. from ckksEncryptBroadcast) at one level and one scale; `columns[j]`
 * holds feature j of every row (≤ slotCount rows); a bias is a weight whose column is all ones. Needs the public
 * key (for the noise). The result is rescaled and switched to the last level. Refuses, naming the problem, weights
 * of another context, size ≠ 2, transparent, not in NTT form, of different levels or scales, or without a level
 * left to rescale.
 */
export function ckksScoreColumns(keys: SealKeys, weights: readonly SealCiphertext[], columns: readonly Float64Array[], options: ScoreColumnsOptions): SealCiphertext {
  const { context } = keys;
  requireScheme(context, 'ckks', 'encrypted scoring');
  requireSameContext(keys, ...weights);
  if (!keys.publicKey) throw sealError('missing-key', 'encrypted scoring needs the public key (for the noise encryption)');
  if ((options.symmetrize ?? true) && !keys.galoisKeys?.hasKey(conjugationElement(context))) {
    throw sealError('missing-key', 'encrypted scoring needs the conjugation Galois key (step 0; see ckksConjugationKey)');
  }
  if (weights.length === 0 || weights.length !== columns.length) {
    throw sealError('bad-input', `${weights.length} weight ciphertexts for ${columns.length} feature columns`);
  }
  const rows = columns[0]!.length;
  if (rows === 0 || rows > context.slotCount) throw sealError('bad-input', `scoring takes 1 to ${context.slotCount} rows per ciphertext`);
  const first = ciphertextShape(weights[0]!);
  weights.forEach((w, j) => {
    const s = ciphertextShape(w);
    if (s.size !== 2) throw sealError('bad-input', `weight ciphertext ${j} has ${s.size} polynomials; a fresh ciphertext has 2`, { index: j });
    if (s.transparent) throw sealError('bad-input', `weight ciphertext ${j} is transparent (not encrypted)`, { index: j });
    if (!s.ntt) throw sealError('bad-input', `weight ciphertext ${j} is not in NTT form (not a CKKS ciphertext)`, { index: j });
    if (s.primes < 2) throw sealError('bad-input', `weight ciphertext ${j} is at the last level; scoring needs one rescale`, { index: j });
    if (s.primes !== first.primes || s.scale !== first.scale) {
      throw sealError('bad-input', `weight ciphertext ${j} is at another level or scale than weight ciphertext 0`, { index: j });
    }
    if (!(s.scale > context.scale / 2 && s.scale < context.scale * 2)) {
      throw sealError('bad-input', `weight ciphertext ${j} has scale 2^${Math.log2(s.scale).toFixed(1)}; expected 2^${Math.log2(context.scale)}`, { index: j });
    }
  });
  columns.forEach((col, j) => {
    if (col.length !== rows) throw sealError('bad-input', `feature column ${j} has ${col.length} rows, column 0 has ${rows}`, { index: j });
    for (let i = 0; i < rows; i++) if (!Number.isFinite(col[i]!)) throw sealError('bad-input', `feature column ${j} holds a non-finite value`, { index: j });
  });
  if (!(options.noiseSd >= 0 && Number.isFinite(options.noiseSd))) throw sealError('bad-input', 'noiseSd must be a finite number ≥ 0');

  const { evaluator } = context;
  const level = weights[0]!.native.parmsId();
  const productScale = first.scale * context.scale;
  const acc = new context.seal.Ciphertext();
  const term = new context.seal.Ciphertext();
  let started = false;
  const slots = new Float64Array(context.slotCount);
  try {
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j]!;
      if (col.every((v) => v === 0)) continue; // SEAL refuses a transparent (all-zero) product; it adds nothing
      slots.fill(0);
      slots.set(col);
      const plain = encodeAt(context, slots, context.scale, level);
      try {
        guard('encrypted scoring', () => {
          if (!started) evaluator.multiplyPlain(weights[j]!.native, plain, acc);
          else {
            evaluator.multiplyPlain(weights[j]!.native, plain, term);
            evaluator.add(acc, term, acc);
          }
        });
        started = true;
      } finally {
        plain.delete();
      }
    }
    // the noise: a fresh public-key encryption at the product's level and scale, so that it adds ciphertext to ciphertext
    const noise = encodeAt(context, options.noiseSd > 0 ? gaussian(context.slotCount, options.noiseSd) : slots.fill(0), productScale, level);
    try {
      guard('noise encryption', () => {
        if (!started) keys.encryptor().encrypt(noise, acc);
        else {
          keys.encryptor().encrypt(noise, term);
          evaluator.add(acc, term, acc);
        }
      });
    } finally {
      noise.delete();
    }
    if (options.symmetrize ?? true) {
      const gk = keys.galoisKeys;
      const elt = conjugationElement(context);
      if (!gk || !guard('Galois key lookup', () => gk.hasKey(elt))) {
        throw sealError('missing-key', 'encrypted scoring needs the conjugation Galois key (step 0; see ckksConjugationKey)');
      }
      guard('conjugation', () => {
        evaluator.complexConjugate(acc, gk, term);
        evaluator.add(acc, term, acc);
        // (ct + conj ct) holds twice the real part: doubling the scale halves what decodes, at no cost in levels
        acc.setScale(acc.scale() * 2);
      });
    }
    guard('rescale', () => {
      evaluator.rescaleToNext(acc, acc);
      while (acc.coeffModulusSize() > 1) evaluator.cipherModSwitchToNextInplace(acc);
    });
    return wrapCiphertext(context, acc);
  } catch (err) {
    acc.delete();
    throw err;
  } finally {
    term.delete();
    level.delete();
  }
}

/** The envelope check alone (kind, preset, parameter hash), for inputs that are validated but not loaded. */
export function checkEnvelope(context: SealContext, data: SealBytes, kind: 'public-key' | 'relin-keys' | 'galois-keys' | 'ciphertext'): void {
  openEnvelope(context, data, kind);
}
