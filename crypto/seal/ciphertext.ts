// The ciphertext handle, encryption/decryption for both schemes, and ciphertext (de)serialization.
import type { SealContext } from './context.ts';
import { openEnvelope, wrapEnvelope, type SealBytes } from './envelope.ts';
import type { SealKeys } from './keys.ts';
import type { CipherText, PlainText } from './runtime.ts';
import { guard, sealError } from './runtime.ts';

/**
 * A ciphertext and the context it belongs to. Every function returning one hands ownership to the caller, who
 * calls `delete()` when done (WASM memory is not garbage-collected: ~0.4–0.5 MB per fresh 8192 ciphertext).
 * Functions taking ciphertexts never delete or modify their inputs.
 */
export interface SealCiphertext {
  readonly context: SealContext;
  readonly native: CipherText;
  delete(): void;
}

export function wrapCiphertext(context: SealContext, native: CipherText): SealCiphertext {
  let deleted = false;
  return {
    context,
    native,
    delete() {
      if (deleted) return;
      deleted = true;
      native.delete();
    },
  };
}

export function requireScheme(context: SealContext, scheme: 'bfv' | 'ckks', what: string): void {
  if (context.scheme !== scheme) {
    throw sealError('scheme-mismatch', `${what} needs a ${scheme.toUpperCase()} context, but this is ${context.preset}`, {
      expected: scheme,
      found: context.preset,
    });
  }
}

export function requireSameContext(keys: SealKeys, ...cts: SealCiphertext[]): void {
  for (const ct of cts) {
    if (ct.context !== keys.context) {
      throw sealError(
        ct.context.scheme === keys.context.scheme ? 'parameter-mismatch' : 'scheme-mismatch',
        `ciphertext belongs to another SEAL context (${ct.context.preset}) than the keys (${keys.context.preset})`,
      );
    }
  }
}

/** Signed integers for BFV slots. */
export type BfvValues = Int32Array | BigInt64Array | readonly number[] | readonly bigint[];

/** Validates signed values against ±(t-1)/2 and the slot count; returns what the BatchEncoder takes (64-bit only). */
function bfvPlainValues(context: SealContext, values: BfvValues): BigInt64Array {
  const t = context.plainModulus!;
  const half = (t - 1n) / 2n;
  if (values.length > context.slotCount) {
    throw sealError('bad-input', `${values.length} values do not fit ${context.slotCount} BFV slots of ${context.preset}`);
  }
  if (values instanceof Int32Array || values instanceof BigInt64Array) {
    for (let i = 0; i < values.length; i++) {
      const v = BigInt(values[i]!);
      if (v > half || v < -half) throw sealError('bad-input', `BFV value at index ${i} is outside ±${half} (plain modulus ${t})`, { index: i });
    }
    return values instanceof BigInt64Array ? values : BigInt64Array.from(values, (v) => BigInt(v));
  }
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (typeof raw === 'number' && !Number.isSafeInteger(raw)) throw sealError('bad-input', `BFV value at index ${i} is not an integer`, { index: i });
    const v = BigInt(raw);
    if (v > half || v < -half) throw sealError('bad-input', `BFV value at index ${i} is outside ±${half} (plain modulus ${t})`, { index: i });
    out[i] = v;
  }
  return out;
}

function ckksPlainValues(context: SealContext, values: Float64Array | readonly number[]): Float64Array {
  if (values.length > context.slotCount) {
    throw sealError('bad-input', `${values.length} values do not fit ${context.slotCount} CKKS slots of ${context.preset}`);
  }
  const out = values instanceof Float64Array ? values : Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw sealError('bad-input', `CKKS value at index ${i} is not a finite number`, { index: i });
  }
  return out;
}

function newPlain(context: SealContext): PlainText {
  return new context.seal.Plaintext();
}

/** Runs `fn` into a new plaintext; frees it if `fn` throws. */
function intoPlain(context: SealContext, what: string, fn: (dest: PlainText) => void): PlainText {
  const plain = newPlain(context);
  try {
    guard(what, () => fn(plain));
  } catch (err) {
    plain.delete();
    throw err;
  }
  return plain;
}

/** A new native ciphertext filled by `fn`; freed if `fn` throws. */
export function intoCipher(context: SealContext, what: string, fn: (dest: CipherText) => void): CipherText {
  const dest = new context.seal.Ciphertext();
  try {
    guard(what, () => fn(dest));
  } catch (err) {
    dest.delete();
    throw err;
  }
  return dest;
}

function withPlain<T>(plain: PlainText, fn: (p: PlainText) => T): T {
  try {
    return fn(plain);
  } finally {
    plain.delete();
  }
}

export function bfvEncode(context: SealContext, values: BfvValues): PlainText {
  requireScheme(context, 'bfv', 'BFV encoding');
  const input = bfvPlainValues(context, values);
  return intoPlain(context, 'BFV encoding', (p) => context.batchEncoder!.encode(input, p));
}

export function ckksEncode(context: SealContext, values: Float64Array | readonly number[]): PlainText {
  requireScheme(context, 'ckks', 'CKKS encoding');
  const input = ckksPlainValues(context, values);
  return intoPlain(context, 'CKKS encoding', (p) => context.ckksEncoder!.encode(input, context.scale, p));
}

/**
 * Encrypts up to `slotCount` signed integers (missing slots are 0) with the public key (or the secret key when the
 * set has no public key). Values must lie in ±(t-1)/2; arithmetic wraps modulo t beyond that.
 */
export function bfvEncrypt(keys: SealKeys, values: BfvValues): SealCiphertext {
  const { context } = keys;
  return withPlain(bfvEncode(context, values), (plain) =>
    wrapCiphertext(context, intoCipher(context, 'BFV encryption', (d) => keys.encryptor().encrypt(plain, d))),
  );
}

/**
 * Decrypts to signed integers (BFV decodes slot values above t/2 as negative). Returns `length` slots (default
 * all). Needs the secret key.
 */
export function bfvDecrypt(keys: SealKeys, ct: SealCiphertext, length?: number): Int32Array {
  requireScheme(keys.context, 'bfv', 'BFV decryption');
  requireSameContext(keys, ct);
  const decryptor = keys.decryptor();
  return withPlain(intoPlain(keys.context, 'BFV decryption', (p) => decryptor.decrypt(ct.native, p)), (plain) => {
    // |value| ≤ (t-1)/2 < 2^29 for every preset: exact in 32 bits
    const values = Int32Array.from(guard('BFV decoding', () => keys.context.batchEncoder!.decodeBigInt64(plain) as BigInt64Array), (v) => Number(v));
    return length === undefined ? values : values.slice(0, length);
  });
}

/** Remaining BFV noise budget in bits (0 = decryption is wrong). Needs the secret key. */
export function bfvNoiseBudget(keys: SealKeys, ct: SealCiphertext): number {
  requireScheme(keys.context, 'bfv', 'noise budget');
  requireSameContext(keys, ct);
  return guard('noise budget', () => keys.decryptor().invariantNoiseBudget(ct.native));
}

/** Encrypts up to `slotCount` reals (missing slots are 0) at the context's scale (2^40). */
export function ckksEncrypt(keys: SealKeys, values: Float64Array | readonly number[]): SealCiphertext {
  const { context } = keys;
  return withPlain(ckksEncode(context, values), (plain) =>
    wrapCiphertext(context, intoCipher(context, 'CKKS encryption', (d) => keys.encryptor().encrypt(plain, d))),
  );
}

/** Decrypts and decodes to `length` reals (default all slots); approximate (≈ 1e-6 relative for scale 2^40). */
export function ckksDecrypt(keys: SealKeys, ct: SealCiphertext, length?: number): Float64Array {
  requireScheme(keys.context, 'ckks', 'CKKS decryption');
  requireSameContext(keys, ct);
  const decryptor = keys.decryptor();
  return withPlain(intoPlain(keys.context, 'CKKS decryption', (p) => decryptor.decrypt(ct.native, p)), (plain) => {
    const values = guard('CKKS decoding', () => keys.context.ckksEncoder!.decodeFloat64(plain) as Float64Array);
    return length === undefined ? values : values.slice(0, length);
  });
}

/**
 * Encrypts with the secret key into SEAL's seeded form and serializes it at once: about half the size of a public-key
 * ciphertext (the random half is replaced by its seed). For a data owner uploading its own data. Needs the secret
 * key; the result is an envelope `deserializeCiphertext` loads.
 */
export function encryptCompact(keys: SealKeys, values: BfvValues | Float64Array | readonly number[]): Uint8Array {
  const { context } = keys;
  if (!keys.secretKey) throw sealError('missing-key', 'compact (seeded) encryption needs the secret key');
  const plain = context.scheme === 'bfv' ? bfvEncode(context, values as BfvValues) : ckksEncode(context, values as readonly number[]);
  return withPlain(plain, (p) => {
    const ser = guard('seeded encryption', () => keys.encryptor().encryptSymmetricSerializable(p));
    try {
      const payload: Uint8Array = guard('serializing ciphertext', () => ser.saveToArray(context.seal.ComprModeType.zstd));
      return wrapEnvelope(context, { kind: 'ciphertext', seeded: true }, payload);
    } finally {
      ser.delete();
    }
  });
}

export type SealCompression = 'zstd' | 'zlib' | 'none';

/** Serializes a ciphertext in the versioned envelope (zstd by default: ~20% smaller than raw for fresh BFV). */
export function serializeCiphertext(ct: SealCiphertext, compression: SealCompression = 'zstd'): Uint8Array {
  const mode = ct.context.seal.ComprModeType[compression];
  const payload: Uint8Array = guard('serializing ciphertext', () => ct.native.saveToArray(mode));
  return wrapEnvelope(ct.context, { kind: 'ciphertext', seeded: false }, payload);
}

/**
 * Loads a serialized ciphertext (bytes or base64) into this context. Refuses, with an AppError naming the problem,
 * data that is not a SEAL envelope, not a ciphertext, made under other parameters, or that SEAL rejects (truncated,
 * corrupted, or a payload of other parameters under a forged header). Never crashes the process.
 */
export function deserializeCiphertext(context: SealContext, data: SealBytes): SealCiphertext {
  const { payload } = openEnvelope(context, data, 'ciphertext');
  const native = new context.seal.Ciphertext();
  try {
    guard('loading ciphertext', () => native.loadFromArray(context.native, payload), 'malformed');
  } catch (err) {
    native.delete();
    throw err;
  }
  return wrapCiphertext(context, native);
}
