// ECDH-PSI building blocks over X25519 (RFC 7748), all from node:crypto: hashing identifiers to u-coordinates,
// ephemeral blinding keys, and the scalar multiplication k·P = X25519(k, P). The protocol is in docs/psi.md.
import { createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomInt, type KeyObject } from 'node:crypto';
import { AppError } from '../../errors/index.ts';

/** Size of a point (an X25519 u-coordinate, little-endian) in bytes. */
export const PSI_POINT_BYTES = 32;
/** Bumped whenever the hash or the encoding changes: both sides must agree on it. */
export const PSI_HASH_VERSION = 'gov-psi/x25519-sha256/v1';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const TAG = Buffer.from(PSI_HASH_VERSION, 'utf8');
// p = 2^255 - 19, little-endian; a canonical u-coordinate is < p
const P_LE = Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex');

export function psiError(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: { scheme: 'psi', reason, ...details } });
}

/**
 * The canonical form both sides hash: Unicode NFKC, surrounding white space removed. Case is kept (a USCC is upper
 * case by standard; folding it here would merge identifiers of other kinds that differ only in case).
 */
export function normalizeIdentifier(id: string): string {
  return id.normalize('NFKC').trim();
}

/**
 * H(x): SHA-256 over (version tag, context, identifier), length-prefixed so no two (context, id) pairs share an input,
 * read as a u-coordinate with bit 255 cleared (X25519 ignores it anyway; clearing keeps the encoding canonical).
 * The context (e.g. "credit_dishonest.uscc") separates domains: the same USCC hashes to unrelated points for two
 * datasets, so blinded sets of different runs and fields cannot be joined. Every u is on the curve or its twist.
 */
export function hashToPoint(id: string, context: string): Uint8Array {
  const ctx = Buffer.from(context, 'utf8');
  const value = Buffer.from(normalizeIdentifier(id), 'utf8');
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32BE(ctx.length, 0);
  lengths.writeUInt32BE(value.length, 4);
  const h = createHash('sha256').update(TAG).update(lengths).update(ctx).update(value).digest();
  h[31]! &= 0x7f;
  return new Uint8Array(h.buffer, h.byteOffset, 32);
}

/** true when the 32 bytes are a canonical u-coordinate (bit 255 clear and u < p) */
export function isCanonicalPoint(point: Uint8Array): boolean {
  if (point.length !== PSI_POINT_BYTES) return false;
  for (let i = 31; i >= 0; i--) {
    if (point[i]! < P_LE[i]!) return true;
    if (point[i]! > P_LE[i]!) return false;
  }
  return false; // u == p
}

/**
 * An ephemeral blinding key: a fresh X25519 private key, used for one run and dropped. Scalars are clamped by X25519
 * (multiple of 8, bit 254 set), which is what makes k·P land in the prime-order subgroup of the curve or the twist.
 */
export class PsiKey {
  private constructor(private readonly key: KeyObject) {}

  static generate(): PsiKey {
    return new PsiKey(generateKeyPairSync('x25519').privateKey);
  }

  /** for tests and known answers only: a key from a raw 32-byte scalar (clamped by X25519) */
  static fromRaw(raw: Uint8Array): PsiKey {
    if (raw.length !== 32) throw psiError('bad-key', 'a PSI scalar must be 32 bytes');
    return new PsiKey(createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' }));
  }

  /**
   * k·P. The point is imported as a raw X25519 public key through JWK, which maps straight to
   * EVP_PKEY_new_raw_public_key (~10 µs here) where DER/SPKI goes through OpenSSL's decoder framework (~90 µs).
   * Throws VALIDATION_FAILED (reason bad-point) for a non-canonical or low-order point (all-zero result).
   */
  multiply(point: Uint8Array, index?: number): Uint8Array {
    if (!isCanonicalPoint(point)) throw psiError('bad-point', 'a point is not a canonical 32-byte X25519 u-coordinate', index === undefined ? {} : { index });
    try {
      const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(point.buffer, point.byteOffset, 32).toString('base64url') }, format: 'jwk' });
      const out = diffieHellman({ privateKey: this.key, publicKey });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch {
      throw psiError('bad-point', 'a point is of low order or invalid', index === undefined ? {} : { index });
    }
  }

  multiplyAll(points: readonly Uint8Array[]): Uint8Array[] {
    return points.map((p, i) => this.multiply(p, i));
  }
}

/** Fisher–Yates with a CSPRNG: the order of a shuffled set must reveal nothing about the order it was built in. */
export function shuffleInPlace<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** A uniformly random permutation of 0..n-1 (the client keeps it to map answers back to its identifiers). */
export function randomPermutation(n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

export function encodePoint(point: Uint8Array): string {
  return Buffer.from(point.buffer, point.byteOffset, point.length).toString('base64url');
}

const BASE64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** Strict base64url (no padding) of exactly 32 bytes, canonical u-coordinate; VALIDATION_FAILED naming the index. */
export function decodePoint(text: unknown, index?: number): Uint8Array {
  const at = index === undefined ? {} : { index };
  if (typeof text !== 'string' || !BASE64URL_32.test(text)) throw psiError('bad-encoding', 'a point is not 43 characters of base64url (32 bytes)', at);
  const bytes = Buffer.from(text, 'base64url');
  // 43 characters carry 258 bits: the last character must not set the two spare bits, or two texts decode alike
  if (bytes.length !== PSI_POINT_BYTES || bytes.toString('base64url') !== text) throw psiError('bad-encoding', 'a point is not canonical base64url', at);
  const point = new Uint8Array(bytes.buffer, bytes.byteOffset, 32);
  if (!isCanonicalPoint(point)) throw psiError('bad-point', 'a point is not a canonical X25519 u-coordinate', at);
  return point;
}
