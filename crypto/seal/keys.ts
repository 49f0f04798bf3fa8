// Key generation, the key set that owns native keys, and (de)serialization of keys in the versioned envelope.
import type { SealContext } from './context.ts';
import { openEnvelope, wrapEnvelope, type SealBytes, type SealObjectKind } from './envelope.ts';
import type { Decryptor, Encryptor, GaloisKeys, PublicKey, RelinKeys, SecretKey } from './runtime.ts';
import { guard, sealError } from './runtime.ts';

export type SealKeyKind = 'public-key' | 'secret-key' | 'relin-keys' | 'galois-keys';

export interface SealKeyOptions {
  /** relinearization keys, needed by `sealMultiply` (default true) */
  relin?: boolean;
  /**
   * Galois (rotation) keys: true = the default steps (every power of two below the row size, plus the BFV column
   * swap), false = none, or the exact rotation steps wanted (positive = left, 0 = BFV column swap). Default true.
   * The default for 8192 is 12–13 keys: ~10 MB seeded, ~20 MB expanded.
   */
  galois?: boolean | readonly number[];
}

/**
 * A set of live keys under one context. Any part may be absent: the data owner holds all four; the evaluating party
 * holds public, relinearization and Galois keys only. Owns its native keys and the encryptor/decryptor built from
 * them: call `delete()` when done. Seeded (compact) serializations made at generation are kept for export.
 */
export interface SealKeys {
  readonly context: SealContext;
  readonly secretKey: SecretKey | undefined;
  readonly publicKey: PublicKey | undefined;
  readonly relinKeys: RelinKeys | undefined;
  readonly galoisKeys: GaloisKeys | undefined;
  /** encrypts with the public key, or with the secret key when there is no public key; built on first use */
  encryptor(): Encryptor;
  /** needs the secret key; built on first use */
  decryptor(): Decryptor;
  /** SEAL payloads (without envelope) of seeded keys as generated or loaded, reused by `serializeSealKey` */
  readonly compact: ReadonlyMap<SealKeyKind, Uint8Array>;
  delete(): void;
}

interface KeyParts {
  secretKey?: SecretKey | undefined;
  publicKey?: PublicKey | undefined;
  relinKeys?: RelinKeys | undefined;
  galoisKeys?: GaloisKeys | undefined;
}

function makeKeySet(context: SealContext, parts: KeyParts, compact: Map<SealKeyKind, Uint8Array>): SealKeys {
  let encryptor: Encryptor | undefined;
  let decryptor: Decryptor | undefined;
  let deleted = false;
  const alive = () => {
    if (deleted) throw sealError('bad-input', 'SEAL keys were already deleted');
  };
  return {
    context,
    secretKey: parts.secretKey,
    get publicKey() {
      return parts.publicKey;
    },
    relinKeys: parts.relinKeys,
    galoisKeys: parts.galoisKeys,
    compact,
    encryptor() {
      alive();
      if (!encryptor) {
        if (!parts.publicKey && !parts.secretKey) throw sealError('missing-key', 'encryption needs the public or the secret key');
        const { seal, native } = context;
        if (!parts.publicKey) {
          // a secret-key-only set (e.g. loaded from storage): derive a public key, owned by this set
          const keygen = new seal.KeyGenerator(native, parts.secretKey!);
          try {
            parts.publicKey = keygen.createPublicKey();
          } finally {
            keygen.delete();
          }
        }
        encryptor = parts.secretKey ? new seal.Encryptor(native, parts.publicKey, parts.secretKey) : new seal.Encryptor(native, parts.publicKey);
      }
      return encryptor;
    },
    decryptor() {
      alive();
      if (!parts.secretKey) throw sealError('missing-key', 'decryption needs the secret key, which these keys do not hold');
      decryptor ??= new context.seal.Decryptor(context.native, parts.secretKey);
      return decryptor;
    },
    delete() {
      if (deleted) return;
      deleted = true;
      encryptor?.delete();
      decryptor?.delete();
      parts.secretKey?.delete();
      parts.publicKey?.delete();
      parts.relinKeys?.delete();
      parts.galoisKeys?.delete();
    },
  };
}

/** The rotation steps `galois: true` generates: powers of two below the row size (+ 0, the BFV column swap). */
export function defaultGaloisSteps(context: SealContext): number[] {
  const steps: number[] = [];
  for (let s = 1; s < context.rowSize; s *= 2) steps.push(s);
  if (context.scheme === 'bfv') steps.push(0);
  return steps;
}

function checkSteps(context: SealContext, steps: readonly number[]): Int32Array {
  if (steps.length === 0) throw sealError('bad-input', 'Galois key steps must not be empty (use galois: false for none)');
  for (const s of steps) {
    if (!Number.isInteger(s) || Math.abs(s) >= context.rowSize || (s === 0 && context.scheme !== 'bfv')) {
      throw sealError('bad-input', `Galois key step ${String(s)} is out of range for ${context.preset} (|step| < ${context.rowSize}; 0 only for BFV)`);
    }
  }
  return Int32Array.from(new Set(steps));
}

/**
 * Generates a fresh secret key and, from it, the public, relinearization and Galois keys. Public, relinearization
 * and Galois keys are generated in SEAL's seeded form (half the size), kept in `compact` for export, and expanded
 * into live keys. Galois keys are the slow part (~1 s for the 8192 defaults in WASM).
 */
export function generateSealKeys(context: SealContext, options: SealKeyOptions = {}): SealKeys {
  const { seal, native } = context;
  const compress = seal.ComprModeType.zstd;
  const compact = new Map<SealKeyKind, Uint8Array>();
  const parts: KeyParts = {};
  const keygen = new seal.KeyGenerator(native);
  try {
    parts.secretKey = keygen.secretKey();
    const seeded = (kind: SealKeyKind, make: () => { saveToArray(c: typeof compress): Uint8Array; delete(): void }) => {
      const ser = make();
      try {
        const bytes = ser.saveToArray(compress);
        compact.set(kind, bytes);
        return bytes;
      } finally {
        ser.delete();
      }
    };
    const pkBytes = seeded('public-key', () => keygen.createPublicKeySerializable());
    parts.publicKey = new seal.PublicKey();
    parts.publicKey.loadFromArray(native, pkBytes);
    if (options.relin ?? true) {
      if (!native.usingKeyswitching()) throw sealError('bad-input', `${context.preset} does not support relinearization keys`);
      const rkBytes = seeded('relin-keys', () => keygen.createRelinKeysSerializable());
      parts.relinKeys = new seal.RelinKeys();
      parts.relinKeys.loadFromArray(native, rkBytes);
    }
    const galois = options.galois ?? true;
    if (galois !== false) {
      const steps = checkSteps(context, galois === true ? defaultGaloisSteps(context) : galois);
      const gkBytes = seeded('galois-keys', () => keygen.createGaloisKeysSerializableWithSteps(steps));
      parts.galoisKeys = new seal.GaloisKeys();
      parts.galoisKeys.loadFromArray(native, gkBytes);
    }
    return makeKeySet(context, parts, compact);
  } catch (err) {
    makeKeySet(context, parts, compact).delete();
    return guard('SEAL key generation', () => {
      throw err;
    });
  } finally {
    keygen.delete();
  }
}

/**
 * A key set without the secret key (and its encryptor/decryptor): what a data owner hands to the evaluating party.
 * The returned set holds clones: deleting either set leaves the other intact.
 */
export function sealEvaluationKeys(keys: SealKeys): SealKeys {
  const compact = new Map(keys.compact);
  compact.delete('secret-key');
  return makeKeySet(
    keys.context,
    { publicKey: keys.publicKey?.clone(), relinKeys: keys.relinKeys?.clone(), galoisKeys: keys.galoisKeys?.clone() },
    compact,
  );
}

const ENVELOPE_KIND: Record<SealKeyKind, SealObjectKind> = {
  'public-key': 'public-key',
  'secret-key': 'secret-key',
  'relin-keys': 'relin-keys',
  'galois-keys': 'galois-keys',
};
const KEY_NAMES: Record<SealKeyKind, string> = {
  'public-key': 'public key',
  'secret-key': 'secret key',
  'relin-keys': 'relinearization keys',
  'galois-keys': 'Galois keys',
};

function part(keys: SealKeys, kind: SealKeyKind) {
  switch (kind) {
    case 'public-key':
      return keys.publicKey;
    case 'secret-key':
      return keys.secretKey;
    case 'relin-keys':
      return keys.relinKeys;
    case 'galois-keys':
      return keys.galoisKeys;
  }
}

/**
 * Serializes one key in the versioned envelope. Public, relinearization and Galois keys come out seeded (about half
 * size) when generated here or loaded seeded; otherwise SEAL's full form, zstd-compressed. Secret keys are never
 * seeded. Treat secret-key bytes as the secret they are.
 */
export function serializeSealKey(keys: SealKeys, kind: SealKeyKind): Uint8Array {
  const key = part(keys, kind);
  if (!key) throw sealError('missing-key', `these SEAL keys hold no ${KEY_NAMES[kind]}`);
  const seededBytes = keys.compact.get(kind);
  if (seededBytes) return wrapEnvelope(keys.context, { kind: ENVELOPE_KIND[kind], seeded: true }, seededBytes);
  const payload: Uint8Array = guard(`serializing ${KEY_NAMES[kind]}`, () => key.saveToArray(keys.context.seal.ComprModeType.zstd));
  return wrapEnvelope(keys.context, { kind: ENVELOPE_KIND[kind], seeded: false }, payload);
}

export interface SerializedSealKeys {
  secretKey?: SealBytes | undefined;
  publicKey?: SealBytes | undefined;
  relinKeys?: SealBytes | undefined;
  galoisKeys?: SealBytes | undefined;
}

/**
 * Loads serialized keys into a live key set for this context. Refuses, with an AppError naming the problem, bytes
 * that are not a SEAL envelope, hold another kind of object, were made under other parameters (another preset,
 * scheme or parameter hash), or that SEAL itself rejects (truncated, corrupted, wrong size). Nothing leaks on refusal.
 */
export function deserializeSealKeys(context: SealContext, serialized: SerializedSealKeys): SealKeys {
  const { seal, native } = context;
  const compact = new Map<SealKeyKind, Uint8Array>();
  const parts: KeyParts = {};
  try {
    const load = <K extends { loadFromArray(c: typeof native, a: Uint8Array): void; delete(): void }>(
      kind: SealKeyKind,
      data: SealBytes,
      make: () => K,
    ): K => {
      const { payload, seeded } = openEnvelope(context, data, ENVELOPE_KIND[kind]);
      const key = make();
      try {
        guard(`loading ${KEY_NAMES[kind]}`, () => key.loadFromArray(native, payload), 'malformed');
      } catch (err) {
        key.delete();
        throw err;
      }
      if (seeded) compact.set(kind, payload.slice());
      return key;
    };
    if (serialized.secretKey !== undefined) parts.secretKey = load('secret-key', serialized.secretKey, () => new seal.SecretKey());
    if (serialized.publicKey !== undefined) parts.publicKey = load('public-key', serialized.publicKey, () => new seal.PublicKey());
    if (serialized.relinKeys !== undefined) parts.relinKeys = load('relin-keys', serialized.relinKeys, () => new seal.RelinKeys());
    if (serialized.galoisKeys !== undefined) parts.galoisKeys = load('galois-keys', serialized.galoisKeys, () => new seal.GaloisKeys());
  } catch (err) {
    makeKeySet(context, parts, compact).delete();
    throw err;
  }
  return makeKeySet(context, parts, compact);
}
