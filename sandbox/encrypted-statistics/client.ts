// The two client sides of a round, pure: a department encrypts its figures under the round's public key, and the
// custodian answers a decryption request with its private key (which never leaves the custodian's machine).
import { paillier, type PaillierPrivateKey, type PaillierPublicKey } from '../../crypto/index.ts';
import { flattenFigures, roundLayout } from './layout.ts';
import type { RoundLayoutRecord } from './schema.ts';

/** What a client needs of a round (GET /encrypted-statistics/rounds/{id} returns it). */
export interface RoundForClient {
  publicKey: string;
  departments: readonly string[];
  layout: RoundLayoutRecord;
}

export interface Figures {
  /** contributors (e.g. enterprises) per cell */
  counts: readonly number[];
  /** per sum name, one non-negative integer per cell */
  sums?: Readonly<Record<string, readonly number[]>>;
}

/**
 * The body of POST .../contributions: the department's figures, packed and encrypted under the round's key.
 * Throws TypeError for figures of the wrong shape, VALIDATION_FAILED for values outside [0, 2^valueBits).
 */
export function encryptContribution(round: RoundForClient, figures: Figures): { ciphertexts: Record<string, unknown> } {
  const pk = publicKeyOf(round.publicKey);
  const layout = roundLayout(pk, round.layout, round.departments.length);
  const plaintexts = paillier.packVector(flattenFigures(round.layout, figures), layout.packing);
  const ciphertexts = plaintexts.map((m) => pk.encrypt(m));
  return { ciphertexts: JSON.parse(paillier.serializeCiphertexts(pk, ciphertexts)) as Record<string, unknown> };
}

/**
 * The custodian's answer to GET .../decryption-request: each masked ciphertext's plaintext and its randomness r
 * (c = g^m · r^n mod n²), which lets the platform check the decryption without the private key. The plaintexts are
 * the total plus a uniform mask the platform holds: they tell the custodian nothing. Throws VALIDATION_FAILED for a
 * ciphertext that is not under this key.
 */
export function answerDecryptionRequest(privateKey: PaillierPrivateKey, maskedTotal: readonly string[]): { plaintexts: string[]; randomness: string[] } {
  const pk = privateKey.publicKey;
  const { p, q } = privateKey;
  // r^n ≡ c · g^(−m) ≡ c (mod n) for g = n + 1, so r = c^(n⁻¹ mod φ(n)) mod n
  const nInverse = modInverse(pk.n % ((p - 1n) * (q - 1n)), (p - 1n) * (q - 1n));
  const plaintexts: string[] = [];
  const randomness: string[] = [];
  for (const text of maskedTotal) {
    const c = BigInt('0x' + text);
    const m = privateKey.decrypt(c);
    const base = pk.g === pk.n + 1n ? c % pk.n : (c * modPow(modInverse(pk.g % pk.n2, pk.n2), m, pk.n2)) % pk.n;
    plaintexts.push(m.toString(16));
    randomness.push(modPow(base, nInverse, pk.n).toString(16));
  }
  return { plaintexts, randomness };
}

// a key's fixed-base table takes about a second to build: keep the last few keys a client encrypted under
const keys = new Map<string, PaillierPublicKey>();
function publicKeyOf(text: string): PaillierPublicKey {
  let key = keys.get(text);
  if (!key) {
    key = paillier.deserializePublicKey(text);
    if (keys.size >= 8) keys.delete(keys.keys().next().value!);
    keys.set(text, key);
  }
  return key;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const k = oldR / r;
    [oldR, r] = [r, oldR - k * r];
    [oldS, s] = [s, oldS - k * s];
  }
  if (oldR !== 1n) throw new TypeError('not invertible');
  return ((oldS % m) + m) % m;
}
