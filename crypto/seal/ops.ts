// Homomorphic operations: add, multiply + relinearize (+ rescale for CKKS), rotations, rotate-and-sum, and the
// CKKS dot products behind encrypted scoring.
import type { SealContext } from './context.ts';
import {
  bfvEncode,
  ckksEncode,
  intoCipher,
  requireSameContext,
  requireScheme,
  wrapCiphertext,
  type BfvValues,
  type SealCiphertext,
} from './ciphertext.ts';
import type { SealKeys } from './keys.ts';
import type { CipherText, GaloisKeys, PlainText } from './runtime.ts';
import { guard, sealError } from './runtime.ts';

function fresh(context: SealContext): CipherText {
  return new context.seal.Ciphertext();
}

/** Runs `fn` into a new ciphertext; frees it if `fn` throws. */
function into(context: SealContext, what: string, fn: (dest: CipherText) => void): SealCiphertext {
  return wrapCiphertext(context, intoCipher(context, what, fn));
}

/** A CKKS plaintext of `slots` at the context's scale (a new one the caller deletes). */
function encodeSlots(context: SealContext, slots: Float64Array): PlainText {
  const plain = new context.seal.Plaintext();
  try {
    guard('CKKS encoding', () => context.ckksEncoder!.encode(slots, context.scale, plain));
  } catch (err) {
    plain.delete();
    throw err;
  }
  return plain;
}

/** a + b, slot-wise. Ciphertext–ciphertext add is cheap (about native speed); CKKS needs equal levels and scales. */
export function sealAdd(keys: SealKeys, a: SealCiphertext, b: SealCiphertext): SealCiphertext {
  requireSameContext(keys, a, b);
  return into(keys.context, 'homomorphic add', (d) => keys.context.evaluator.add(a.native, b.native, d));
}

/** a − b, slot-wise. */
export function sealSub(keys: SealKeys, a: SealCiphertext, b: SealCiphertext): SealCiphertext {
  requireSameContext(keys, a, b);
  return into(keys.context, 'homomorphic subtract', (d) => keys.context.evaluator.sub(a.native, b.native, d));
}

/**
 * ct + plaintext values, slot-wise. Works, but in WASM it is 14–26× slower than native SEAL (ciphertext–ciphertext
 * add is not): encode once and add an encrypted constant instead when this sits in a hot loop.
 */
export function sealAddPlain(keys: SealKeys, a: SealCiphertext, values: BfvValues | Float64Array | readonly number[]): SealCiphertext {
  requireSameContext(keys, a);
  const { context } = keys;
  const plain =
    context.scheme === 'bfv' ? bfvEncode(context, values as BfvValues) : ckksEncode(context, values as readonly number[]);
  try {
    if (context.scheme === 'ckks') {
      const level = a.native.parmsId();
      try {
        guard('plaintext level switch', () => context.evaluator.plainModSwitchToInplace(plain, level));
      } finally {
        level.delete();
      }
      plain.setScale(a.native.scale());
    }
    return into(context, 'plaintext add', (d) => context.evaluator.addPlain(a.native, plain, d));
  } finally {
    plain.delete();
  }
}

function requireRelin(keys: SealKeys) {
  if (!keys.relinKeys) throw sealError('missing-key', 'multiplication needs relinearization keys, which these keys do not hold');
  return keys.relinKeys;
}

/**
 * a × b, slot-wise, relinearized back to size 2; CKKS results are also rescaled (one level used: ckks-8192 allows
 * two). BFV products must stay within ±(t-1)/2 to decode as the integer product.
 */
export function sealMultiply(keys: SealKeys, a: SealCiphertext, b: SealCiphertext): SealCiphertext {
  requireSameContext(keys, a, b);
  const relin = requireRelin(keys);
  const { context } = keys;
  return into(context, 'homomorphic multiply', (d) => {
    context.evaluator.multiply(a.native, b.native, d);
    context.evaluator.relinearize(d, relin, d);
    if (context.scheme === 'ckks') context.evaluator.rescaleToNext(d, d);
  });
}

/** SEAL's Galois element for a rotation by `step` (0 = BFV column swap, 2N − 1). */
function galoisElement(context: SealContext, step: number): number {
  const m = 2 * context.polyModulusDegree;
  if (step === 0) return m - 1;
  const rowSize = context.polyModulusDegree / 2;
  let exp = ((step % rowSize) + rowSize) % rowSize;
  let result = 1;
  let base = 3;
  while (exp > 0) {
    if (exp & 1) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1;
  }
  return result;
}

function requireGalois(keys: SealKeys, step: number): GaloisKeys {
  const gk = keys.galoisKeys;
  if (!gk) throw sealError('missing-key', 'rotation needs Galois keys, which these keys do not hold');
  const elt = galoisElement(keys.context, step);
  if (!guard('Galois key lookup', () => gk.hasKey(elt))) {
    throw sealError('missing-key', `the Galois keys hold no key for a rotation by ${step}; generate keys with that step`, { step });
  }
  return gk;
}

/**
 * Rotates slots left by `steps` (slot i receives slot i + steps; negative = right). BFV rotates each of the two
 * rows of `rowSize` slots separately; `steps = 0` on BFV swaps the two rows. CKKS rotates all `slotCount` slots.
 * Needs a Galois key for exactly this step (see SealKeyOptions.galois).
 */
export function sealRotate(keys: SealKeys, ct: SealCiphertext, steps: number): SealCiphertext {
  requireSameContext(keys, ct);
  const { context } = keys;
  if (!Number.isInteger(steps) || Math.abs(steps) >= context.rowSize) {
    throw sealError('bad-input', `rotation step must be an integer with |step| < ${context.rowSize}`);
  }
  if (steps === 0 && context.scheme === 'ckks') {
    return into(context, 'copy', (d) => d.assign(ct.native));
  }
  const gk = requireGalois(keys, steps);
  return into(context, 'rotation', (d) => {
    if (context.scheme === 'ckks') context.evaluator.rotateVector(ct.native, steps, gk, d);
    else if (steps === 0) context.evaluator.rotateColumns(ct.native, gk, d);
    else context.evaluator.rotateRows(ct.native, steps, gk, d);
  });
}

/** In place: ct ← Σ_{k<width} rot(ct, k) via log2(width) rotations by 1, 2, 4, … */
function sumWithinBlocksInPlace(keys: SealKeys, ct: CipherText, width: number): void {
  const { context } = keys;
  const tmp = fresh(context);
  try {
    for (let s = 1; s < width; s *= 2) {
      const gk = requireGalois(keys, s);
      guard('rotate-and-sum', () => {
        if (context.scheme === 'ckks') context.evaluator.rotateVector(ct, s, gk, tmp);
        else context.evaluator.rotateRows(ct, s, gk, tmp);
        context.evaluator.add(ct, tmp, ct);
      });
    }
  } finally {
    tmp.delete();
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/**
 * Rotate-and-sum. Without `width`: every slot receives the sum of all slots (BFV: both rows, using the column swap).
 * With a power-of-two `width` ≤ rowSize: slot j·width receives the sum of slots j·width … j·width + width − 1 (other
 * slots hold partial sums). log2(width) rotations, each needing its Galois key.
 */
export function sealSumSlots(keys: SealKeys, ct: SealCiphertext, width?: number): SealCiphertext {
  requireSameContext(keys, ct);
  const { context } = keys;
  const w = width ?? context.rowSize;
  if (!isPowerOfTwo(w) || w > context.rowSize) {
    throw sealError('bad-input', `sum width must be a power of two ≤ ${context.rowSize}`);
  }
  const out = into(context, 'copy', (d) => d.assign(ct.native));
  try {
    sumWithinBlocksInPlace(keys, out.native, w);
    if (width === undefined && context.scheme === 'bfv') {
      const gk = requireGalois(keys, 0);
      const tmp = fresh(context);
      try {
        guard('rotate-and-sum', () => {
          context.evaluator.rotateColumns(out.native, gk, tmp);
          context.evaluator.add(out.native, tmp, out.native);
        });
      } finally {
        tmp.delete();
      }
    }
    return out;
  } catch (err) {
    out.delete();
    throw err;
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * The slot layout for encrypted scoring: `weights` zero-padded to width = next power of two ≥ weights.length,
 * repeated to fill all `slotCount` slots. Encrypt this (ckksEncrypt / encryptCompact) so that one weight ciphertext
 * scores slotCount / width feature rows per multiplication.
 */
export function replicateWeights(weights: Float64Array | readonly number[], slotCount: number): Float64Array {
  const width = nextPowerOfTwo(weights.length);
  if (weights.length === 0 || width > slotCount) throw sealError('bad-input', `weights must have 1 to ${slotCount} entries`);
  const out = new Float64Array(slotCount);
  for (let block = 0; block < slotCount; block += width) {
    for (let i = 0; i < weights.length; i++) out[block + i] = weights[i]!;
  }
  return out;
}

/** Rows per result ciphertext for `featureCount` features: slotCount / nextPowerOfTwo(featureCount). */
export function ckksRowsPerCiphertext(context: SealContext, featureCount: number): number {
  return context.slotCount / nextPowerOfTwo(featureCount);
}

/**
 * Encrypted scoring: the dot product of encrypted weights with each plaintext feature row. For d features,
 * width = nextPowerOfTwo(d) and k = slotCount / width rows share one ciphertext: per k rows one encode, one
 * plaintext multiply, one rescale, log2(width) rotations + ciphertext adds, and (when k > 1 or width < slotCount)
 * one masking multiply + rescale that zeroes every slot but the scores — the partial sums elsewhere would otherwise
 * reveal feature values to the key holder. No ciphertext–plaintext add is used.
 *
 * `weights` must be a fresh (top-level) CKKS encryption of `replicateWeights(w, slotCount)` (for a single row a plain
 * encryption of w also works). Needs Galois keys for steps 1, 2, 4, … < width. Returns ⌈rows / k⌉ ciphertexts
 * owned by the caller; score of row r sits in ciphertext ⌊r / k⌋ at slot (r mod k)·width (see ckksDecryptScores).
 */
export function ckksScoreRows(keys: SealKeys, weights: SealCiphertext, rows: readonly (Float64Array | readonly number[])[]): SealCiphertext[] {
  const { context } = keys;
  requireScheme(context, 'ckks', 'encrypted scoring');
  requireSameContext(keys, weights);
  if (rows.length === 0) return [];
  const d = rows[0]!.length;
  if (d === 0 || d > context.slotCount) throw sealError('bad-input', `feature rows must have 1 to ${context.slotCount} entries`);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r]!.length !== d) throw sealError('bad-input', `feature row ${r} has ${rows[r]!.length} entries, row 0 has ${d}`, { row: r });
  }
  if (weights.native.coeffModulusSize() !== context.firstLevelPrimes) {
    throw sealError('bad-input', 'the weight ciphertext has been rescaled already; encrypted scoring needs a fresh encryption of the weights');
  }
  const width = nextPowerOfTwo(d);
  const perCt = context.slotCount / width;
  const masked = perCt > 1 || width < context.slotCount;
  for (let s = 1; s < width; s *= 2) requireGalois(keys, s);
  const { evaluator, ckksEncoder } = context;
  const results: SealCiphertext[] = [];
  try {
    const slots = new Float64Array(context.slotCount);
    for (let start = 0; start < rows.length; start += perCt) {
      const count = Math.min(perCt, rows.length - start);
      slots.fill(0);
      let allZero = true;
      for (let j = 0; j < count; j++) {
        const row = rows[start + j]!;
        const base = j * width;
        for (let i = 0; i < d; i++) {
          const v = row[i]!;
          if (!Number.isFinite(v)) throw sealError('bad-input', `feature row ${start + j} holds a non-finite value at ${i}`, { row: start + j });
          if (v !== 0) allZero = false;
          slots[base + i] = v;
        }
      }
      if (allZero) {
        // SEAL refuses products that come out transparent (zero): an encryption of zero stands in.
        results.push(encryptedZeroLike(keys, masked ? 2 : 1));
        continue;
      }
      const plain = encodeSlots(context, slots);
      const out = into(context, 'encrypted scoring', (dest) => {
        try {
          evaluator.multiplyPlain(weights.native, plain, dest);
        } finally {
          plain.delete();
        }
        evaluator.rescaleToNext(dest, dest);
      });
      results.push(out);
      sumWithinBlocksInPlace(keys, out.native, width);
      if (masked) {
        slots.fill(0);
        for (let j = 0; j < count; j++) slots[j * width] = 1;
        const mask = encodeSlots(context, slots);
        const level = out.native.parmsId();
        try {
          guard('scoring mask', () => {
            evaluator.plainModSwitchToInplace(mask, level);
            evaluator.multiplyPlain(out.native, mask, out.native);
            evaluator.rescaleToNext(out.native, out.native);
          });
        } finally {
          level.delete();
          mask.delete();
        }
      }
    }
    return results;
  } catch (err) {
    for (const r of results) r.delete();
    throw err;
  }
}

/** An encryption of zero at the level reached after `rescales` rescales (needs the public or secret key). */
function encryptedZeroLike(keys: SealKeys, rescales: number): SealCiphertext {
  const { context } = keys;
  return into(context, 'encryption of zero', (d) => {
    keys.encryptor().encryptZero(d);
    // the native wrappers below are handles (shared pointers, copies): deleting them frees only the handle
    let data = context.native.firstContextData();
    for (let i = 0; i < rescales; i++) {
      const next = data.nextContextData();
      data.delete();
      data = next;
    }
    const level = data.parmsId();
    data.delete();
    try {
      context.evaluator.cipherModSwitchToInplace(d, level);
    } finally {
      level.delete();
    }
    d.setScale(context.scale);
  });
}

/** The dot product ⟨w, x⟩ of encrypted weights with one plaintext vector: ckksScoreRows for one row; the score is
 *  in slot 0 (all slots when x.length is the full slot count). */
export function ckksDotProduct(keys: SealKeys, weights: SealCiphertext, features: Float64Array | readonly number[]): SealCiphertext {
  return ckksScoreRows(keys, weights, [features])[0]!;
}

/** Client side of encrypted scoring: decrypts ckksScoreRows' ciphertexts into one score per row. */
export function ckksDecryptScores(keys: SealKeys, scores: readonly SealCiphertext[], rowCount: number, featureCount: number): Float64Array {
  const width = nextPowerOfTwo(featureCount);
  const perCt = keys.context.slotCount / width;
  if (!Number.isInteger(perCt) || perCt < 1) throw sealError('bad-input', `feature count must be 1 to ${keys.context.slotCount}`);
  if (scores.length !== Math.ceil(rowCount / perCt)) {
    throw sealError('bad-input', `${rowCount} rows of ${featureCount} features come in ${Math.ceil(rowCount / perCt)} ciphertexts, got ${scores.length}`);
  }
  const out = new Float64Array(rowCount);
  const decryptor = keys.decryptor();
  for (let c = 0; c < scores.length; c++) {
    const ct = scores[c]!;
    requireSameContext(keys, ct);
    const plain = new keys.context.seal.Plaintext();
    let slots: Float64Array;
    try {
      guard('CKKS decryption', () => decryptor.decrypt(ct.native, plain));
      slots = guard('CKKS decoding', () => keys.context.ckksEncoder!.decodeFloat64(plain) as Float64Array);
    } finally {
      plain.delete();
    }
    for (let j = 0; j < perCt && c * perCt + j < rowCount; j++) out[c * perCt + j] = slots[j * width]!;
  }
  return out;
}
