// SM3 (GB/T 32905) through Node's own crypto: the hash of the audit chain and of SM2's Z_A.
import { createHash } from 'node:crypto';

/** SM3 digest of `data` (strings are hashed as UTF-8). */
export function sm3(data: string | Uint8Array): Uint8Array {
  return createHash('sm3').update(data).digest();
}

/** SM3 digest of `data` as 64 lowercase hex characters. */
export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}
