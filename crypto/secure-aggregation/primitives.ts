// Building blocks for secure aggregation, all from node:crypto: X25519, HKDF-SHA256, AES-CTR mask expansion, AES-GCM.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { AppError } from '../../errors/index.ts';

export function secaggError(
  code: 'VALIDATION_FAILED' | 'CONFLICT' | 'FORBIDDEN',
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError(code, message, { details: { scheme: 'secure-aggregation', reason, ...details } });
}

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export interface X25519KeyPair {
  privateKey: KeyObject;
  /** raw 32-byte public key (RFC 7748 u-coordinate) */
  publicKey: Uint8Array;
}

export function generateX25519(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: x25519PublicRaw(publicKey) };
}

export function x25519PublicRaw(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length));
}

export function x25519PrivateRaw(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_X25519.length));
}

export function x25519PrivateFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw secaggError('VALIDATION_FAILED', 'bad-key', 'X25519 private key must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicFromRaw(raw: Uint8Array): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== 32)
    throw secaggError('VALIDATION_FAILED', 'bad-key', 'X25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}

/** the raw X25519 shared secret; throws on a low-order peer key (all-zero output) */
export function x25519Agree(privateKey: KeyObject, peerPublic: Uint8Array | KeyObject): Uint8Array {
  try {
    const publicKey = peerPublic instanceof Uint8Array ? x25519PublicFromRaw(peerPublic) : peerPublic;
    return new Uint8Array(diffieHellman({ privateKey, publicKey }));
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw secaggError('VALIDATION_FAILED', 'bad-key', 'X25519 agreement failed (invalid peer public key)');
  }
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

/** AES-CTR keystream (encryption of zeros) of `length` bytes; key of 16 or 32 bytes, 16-byte initial counter block */
export function aesCtrKeystream(key: Uint8Array, iv: Uint8Array, length: number): Uint8Array {
  const cipher = createCipheriv(key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr', key, iv);
  const out = new Uint8Array(length);
  const chunk = 1 << 16;
  const zeros = new Uint8Array(Math.min(length, chunk));
  for (let off = 0; off < length; off += chunk) {
    const n = Math.min(chunk, length - off);
    out.set(cipher.update(n === zeros.length ? zeros : zeros.subarray(0, n)), off);
  }
  return out;
}

const ZERO_IV = new Uint8Array(16);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** the mask PRG: `length` 32-bit words of AES-256-CTR(seed, IV = 0) read little-endian */
export function expandMask(seed: Uint8Array, length: number): Uint32Array {
  if (seed.length !== 32) throw secaggError('VALIDATION_FAILED', 'bad-seed', 'mask seed must be 32 bytes');
  const bytes = aesCtrKeystream(seed, ZERO_IV, length * 4);
  const words = new Uint32Array(bytes.buffer, 0, length);
  if (!LITTLE_ENDIAN) for (let i = 0; i < length; i++) words[i] = new DataView(bytes.buffer).getUint32(i * 4, true);
  return words;
}

export interface Sealed {
  iv: Uint8Array;
  /** ciphertext followed by the 16-byte tag */
  ct: Uint8Array;
}

export function gcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  const iv = new Uint8Array(randomBytes(12));
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  return { iv, ct: new Uint8Array(body) };
}

export function gcmOpen(key: Uint8Array, sealed: Sealed, aad: Uint8Array): Uint8Array {
  try {
    if (sealed.iv.length !== 12 || sealed.ct.length < 16) throw new Error('size');
    const d = createDecipheriv('aes-256-gcm', key, sealed.iv);
    d.setAAD(aad);
    d.setAuthTag(sealed.ct.subarray(sealed.ct.length - 16));
    return new Uint8Array(Buffer.concat([d.update(sealed.ct.subarray(0, sealed.ct.length - 16)), d.final()]));
  } catch {
    throw secaggError('VALIDATION_FAILED', 'bad-share-ciphertext', 'encrypted share failed authentication');
  }
}
