// Keyed pseudonyms for join keys: HMAC-SM3 under a key per licence, truncated to 128 bits, in hex.
//
// Same licence key, same value → same pseudonym, in every job and every dataset, so an operator can join
// population.person_id with social_insurance.person_id. Another licence has another key, so two operators'
// pseudonyms for the same person never match and cannot be pooled. Without the key a pseudonym cannot be
// reversed or recomputed, even though resident IDs are a small, guessable space (that is why a plain hash is not enough).
// Storage and wire format: 32 lower-case hex characters.

import { hmacSm3 } from './sm3.ts';

/** Bytes of the MAC kept: 128 bits, so collisions among 1.4 billion people have probability about 2^-68. */
export const PSEUDONYM_BYTES = 16;
/** Shortest key accepted: 128 bits. */
export const MIN_PSEUDONYM_KEY_BYTES = 16;

/** Maps a value to its pseudonym under one key. Build once per key (the key schedule is precomputed). */
export type Pseudonymizer = (value: string) => string;

/**
 * A pseudonymizer under `key`. Throws TypeError for a key shorter than 16 bytes (a caller's mistake: keys come
 * from `derivePseudonymKey` or a key store, never from users).
 */
export function createPseudonymizer(key: Uint8Array): Pseudonymizer {
  if (!(key instanceof Uint8Array) || key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new TypeError(`pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }
  const mac = hmacSm3(key);
  return (value: string) => mac.hex128(value);
}

const encoder = new TextEncoder();

/**
 * The pseudonym key of one licence, derived from the platform's master secret: HMAC-SM3(secret, label ‖ 0x00 ‖ id).
 * Rotating the master secret or re-issuing a licence (new id) gives unrelated pseudonyms.
 * Throws TypeError for a secret shorter than 16 bytes or an empty licence id.
 */
export function derivePseudonymKey(masterSecret: Uint8Array, licenceId: string): Uint8Array {
  if (!(masterSecret instanceof Uint8Array) || masterSecret.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new TypeError(`master secret must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }
  if (typeof licenceId !== 'string' || licenceId.length === 0) throw new TypeError('licence id must be a non-empty string');
  return hmacSm3(masterSecret).mac(encoder.encode(`gov-data-platform/pseudonym-key/v1\u0000${licenceId}`));
}
