// SM2 digital signatures with the Z_A identity hash (GB/T 32918.2), through sm-crypto-v2 (built on @noble/curves).
// Node's crypto has the SM2 curve, but crypto.sign on an SM2 key computes ECDSA, not the SM2 signature.
import { sm2 } from 'sm-crypto-v2';
import { SM2_N, type Sm2KeyPair } from './keys.ts';

/** The distinguishing identifier both parties use unless agreed otherwise (GM/T 0009-2012 §10). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface Sm2Options {
  /** the signer's distinguishing identifier ID_A, hashed into Z_A; defaults to SM2_DEFAULT_USER_ID */
  userId?: string;
}

const SIGNATURE = /^[0-9a-f]{128}$/;
const PUBLIC_KEY = /^04[0-9a-f]{128}$/;

function userIdOf(options: Sm2Options): string {
  const userId = options.userId ?? SM2_DEFAULT_USER_ID;
  // ENTL_A is two bytes holding the bit length of ID_A
  if (Buffer.byteLength(userId, 'utf8') > 8191) throw new TypeError('SM2 user id is longer than 8191 bytes');
  return userId;
}

/**
 * Signs `message` (strings as UTF-8): e = SM3(Z_A ‖ M), a fresh random k per signature.
 * Returns r ‖ s as 128 lowercase hex digits. Throws TypeError for a malformed key or user id.
 */
export function sm2Sign(message: string | Uint8Array, keyPair: Sm2KeyPair, options: Sm2Options = {}): string {
  if (!PUBLIC_KEY.test(keyPair.publicKey.toLowerCase())) throw new TypeError('SM2 public key must be 04‖x‖y in hex');
  return sm2.doSignature(message, keyPair.privateKey.toLowerCase(), {
    hash: true,
    publicKey: keyPair.publicKey.toLowerCase(),
    userId: userIdOf(options),
  });
}

/**
 * True when `signature` (r ‖ s, 128 hex digits) is a valid SM2 signature of `message` under `publicKey`
 * (04 ‖ x ‖ y, 130 hex digits). Malformed input from outside is simply not valid: never throws for it.
 */
export function sm2Verify(
  message: string | Uint8Array,
  signature: string,
  publicKey: string,
  options: Sm2Options = {},
): boolean {
  const sig = signature.toLowerCase();
  const key = publicKey.toLowerCase();
  if (!SIGNATURE.test(sig) || !PUBLIC_KEY.test(key)) return false;
  // GB/T 32918.2 §7.1 B1–B2: r, s ∈ [1, n-1]. The library omits this check, which would let s + n verify.
  const r = BigInt(`0x${sig.slice(0, 64)}`);
  const s = BigInt(`0x${sig.slice(64)}`);
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  try {
    return sm2.doVerifySignature(message, sig, key, { hash: true, userId: userIdOf(options) });
  } catch {
    // a point not on the curve
    return false;
  }
}
