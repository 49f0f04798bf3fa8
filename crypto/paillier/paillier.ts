// Paillier keys, encryption (g = n+1, DJN short-exponent randomness or an offline r^n pool) and CRT decryption.
import { createHash } from 'node:crypto';
import { generateRandomKeys } from 'paillier-bigint';
import { AppError } from '../../errors/index.ts';
import {
  bitLength,
  FixedBaseTable,
  fixedExponentPow,
  gcd,
  isqrt,
  mod,
  modInv,
  modPow,
  randomBetween,
  randomBits,
} from './bigint-math.ts';

/** the smallest modulus generatePaillierKeys and the deserializers accept unless told it is a test */
export const PAILLIER_MIN_BITS = 2048;
/** default length of the DJN short exponent α (bits): 2κ for κ = 128 would be 256; we double it for margin */
export const DJN_EXPONENT_BITS = 512;

export function paillierError(reason: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: { scheme: 'paillier', reason } });
}

export interface PaillierKeyOptions {
  /** allow moduli below 2048 bits (known-answer and property tests only) */
  allowInsecureSmallKeys?: boolean;
  /**
   * Damgård–Jurik–Nielsen short-exponent randomness (default on): r^n is replaced by hs^α with hs = (−y²)^n mod n²
   * fixed in the public key and α a random `exponentBits`-bit integer. `false` = textbook r^n for every encryption.
   */
  djn?: boolean | { exponentBits?: number };
}

export interface DjnParameters {
  /** hs = h^n mod n², h = −y² mod n for a random unit y */
  hs: bigint;
  exponentBits: number;
}

function checkBits(bits: number, allowSmall: boolean | undefined): void {
  if (!allowSmall && bits < PAILLIER_MIN_BITS)
    throw paillierError('key-too-small', `Paillier modulus has ${bits} bits; at least ${PAILLIER_MIN_BITS} are required`);
}

export class PaillierPublicKey {
  readonly n: bigint;
  readonly n2: bigint;
  readonly g: bigint;
  readonly bits: number;
  /** first 16 hex digits of SHA-256 over n: names the key in serialized ciphertexts */
  readonly keyId: string;
  readonly djn: DjnParameters | undefined;
  private table: FixedBaseTable | undefined;
  private powN: ((base: bigint) => bigint) | undefined;

  constructor(n: bigint, options: { g?: bigint; djn?: DjnParameters; allowInsecureSmallKeys?: boolean } = {}) {
    if (n < 15n || n % 2n === 0n) throw paillierError('bad-modulus', 'Paillier modulus must be an odd composite');
    this.n = n;
    this.n2 = n * n;
    this.bits = bitLength(n);
    checkBits(this.bits, options.allowInsecureSmallKeys);
    this.g = options.g ?? n + 1n;
    if (this.g <= 0n || this.g >= this.n2) throw paillierError('bad-generator', 'Paillier generator out of range');
    if (options.djn) {
      const { hs, exponentBits } = options.djn;
      if (hs <= 1n || hs >= this.n2 || !Number.isInteger(exponentBits) || exponentBits < 128)
        throw paillierError('bad-djn-parameters', 'DJN parameters out of range');
    }
    this.djn = options.djn;
    this.keyId = createHash('sha256').update(n.toString(16)).digest('hex').slice(0, 16);
  }

  /** r^n mod n² for a fresh random r (or hs^α under DJN): the expensive half of an encryption */
  randomFactor(): bigint {
    if (this.djn) {
      this.table ??= new FixedBaseTable(this.djn.hs, this.n2, this.djn.exponentBits, 8);
      return this.table.pow(randomBits(this.djn.exponentBits));
    }
    this.powN ??= fixedExponentPow(this.n, this.n2);
    return this.powN(randomUnit(this.n));
  }

  /** builds the fixed-base table now (≈ 1 s and 8 MB for 2048 bits) instead of on the first encryption */
  precompute(): this {
    if (this.djn) this.table ??= new FixedBaseTable(this.djn.hs, this.n2, this.djn.exponentBits, 8);
    return this;
  }

  /** maps a plaintext in [0, n) or a signed one in (−n/2, n/2) to Z_n */
  toPlaintext(m: bigint | number): bigint {
    if (typeof m === 'number') {
      if (!Number.isSafeInteger(m)) throw paillierError('bad-plaintext', 'Paillier plaintext must be a safe integer or a bigint');
      m = BigInt(m);
    }
    if (m >= this.n || -2n * m >= this.n) throw paillierError('plaintext-overflow', 'Paillier plaintext out of range for the modulus');
    return m < 0n ? m + this.n : m;
  }

  /** g^m mod n²: 1 + m·n for g = n+1 */
  private gm(m: bigint): bigint {
    return this.g === this.n + 1n ? (1n + m * this.n) % this.n2 : modPow(this.g, m, this.n2);
  }

  /**
   * E(m) = g^m · r^n mod n². `pool` supplies a precomputed r^n (one multiplication on the request path); `r` fixes the
   * randomness (known-answer tests only).
   */
  encrypt(m: bigint | number, options: { pool?: RandomnessPool; r?: bigint } = {}): bigint {
    const pm = this.toPlaintext(m);
    let rn: bigint;
    if (options.r !== undefined) {
      if (options.r <= 0n || options.r >= this.n || gcd(options.r, this.n) !== 1n) throw paillierError('bad-randomness', 'r must be a unit mod n');
      rn = modPow(options.r, this.n, this.n2);
    } else {
      rn = options.pool?.take(this) ?? this.randomFactor();
    }
    return (this.gm(pm) * rn) % this.n2;
  }

  /** throws unless c could be a ciphertext under this key (0 < c < n²; `full` adds gcd(c, n) = 1) */
  checkCiphertext(c: bigint, full = false): void {
    if (typeof c !== 'bigint' || c <= 0n || c >= this.n2)
      throw paillierError('ciphertext-out-of-range', 'Paillier ciphertext out of range for this key');
    if (full && gcd(c, this.n) !== 1n) throw paillierError('ciphertext-not-unit', 'Paillier ciphertext is not a unit mod n²');
  }

  /** E(m1 + m2 + …) */
  add(...ciphertexts: bigint[]): bigint {
    let r = 1n;
    for (const c of ciphertexts) {
      this.checkCiphertext(c);
      r = (r * c) % this.n2;
    }
    return r;
  }

  /** E(m + k) for a plaintext k */
  addPlain(c: bigint, k: bigint | number): bigint {
    this.checkCiphertext(c);
    return (c * this.gm(this.toPlaintext(k))) % this.n2;
  }

  /** E(k · m) for a plaintext k (negative k allowed) */
  multiplyPlain(c: bigint, k: bigint | number): bigint {
    this.checkCiphertext(c);
    return modPow(c, this.toPlaintext(k), this.n2);
  }

  /** the same plaintext under fresh randomness */
  rerandomize(c: bigint, pool?: RandomnessPool): bigint {
    this.checkCiphertext(c);
    return (c * (pool?.take(this) ?? this.randomFactor())) % this.n2;
  }
}

function randomUnit(n: bigint): bigint {
  for (;;) {
    const r = randomBetween(1n, n);
    if (gcd(r, n) === 1n) return r;
  }
}

export class PaillierPrivateKey {
  readonly publicKey: PaillierPublicKey;
  readonly p: bigint;
  readonly q: bigint;
  private readonly p2: bigint;
  private readonly q2: bigint;
  private readonly hp: bigint;
  private readonly hq: bigint;
  private readonly qInvP: bigint;
  private readonly powP: (base: bigint) => bigint;
  private readonly powQ: (base: bigint) => bigint;

  constructor(p: bigint, q: bigint, publicKey: PaillierPublicKey) {
    if (p * q !== publicKey.n || p === q) throw paillierError('key-mismatch', 'Paillier private key does not match the public key');
    if (p < q) [p, q] = [q, p];
    this.publicKey = publicKey;
    this.p = p;
    this.q = q;
    this.p2 = p * p;
    this.q2 = q * q;
    const g = publicKey.g;
    this.powP = fixedExponentPow(p - 1n, this.p2);
    this.powQ = fixedExponentPow(q - 1n, this.q2);
    try {
      this.hp = modInv((modPow(g, p - 1n, this.p2) - 1n) / p, p);
      this.hq = modInv((modPow(g, q - 1n, this.q2) - 1n) / q, q);
      this.qInvP = modInv(q, p);
    } catch {
      throw paillierError('bad-generator', 'Paillier generator is not valid for this key');
    }
  }

  /** m in [0, n), by CRT: m_p = L_p(c^(p−1) mod p²)·h_p mod p, likewise for q, then recombined */
  decrypt(c: bigint): bigint {
    this.publicKey.checkCiphertext(c);
    const { p, q } = this;
    if (c % p === 0n || c % q === 0n) throw paillierError('ciphertext-not-unit', 'Paillier ciphertext is not a unit mod n²');
    const mp = (((this.powP(c % this.p2) - 1n) / p) * this.hp) % p;
    const mq = (((this.powQ(c % this.q2) - 1n) / q) * this.hq) % q;
    return mq + q * mod((mp - mq) * this.qInvP, p);
  }

  /** the plaintext read as signed: values above n/2 are negative */
  decryptSigned(c: bigint): bigint {
    const m = this.decrypt(c);
    return 2n * m > this.publicKey.n ? m - this.publicKey.n : m;
  }
}

export interface PaillierKeyPair {
  publicKey: PaillierPublicKey;
  privateKey: PaillierPrivateKey;
}

/** DJN: hs = (−y²)^n mod n² for a random unit y (computed with p, q known, via CRT-free modPow) */
export function generateDjnParameters(n: bigint, exponentBits = DJN_EXPONENT_BITS): DjnParameters {
  const y = randomUnit(n);
  const h = mod(-(y * y), n);
  return { hs: modPow(h, n, n * n), exponentBits };
}

/** keys from two distinct primes (no primality test here: for tests and imports of known keys) */
export function paillierKeysFromPrimes(
  p: bigint,
  q: bigint,
  options: PaillierKeyOptions & { g?: bigint } = {},
): PaillierKeyPair {
  const n = p * q;
  const djn =
    options.djn === false || options.djn === undefined
      ? undefined
      : generateDjnParameters(n, options.djn === true ? DJN_EXPONENT_BITS : (options.djn.exponentBits ?? DJN_EXPONENT_BITS));
  const pkOptions: { g?: bigint; djn?: DjnParameters; allowInsecureSmallKeys?: boolean } = {};
  if (options.g !== undefined) pkOptions.g = options.g;
  if (djn) pkOptions.djn = djn;
  if (options.allowInsecureSmallKeys) pkOptions.allowInsecureSmallKeys = true;
  const publicKey = new PaillierPublicKey(n, pkOptions);
  return { publicKey, privateKey: new PaillierPrivateKey(p, q, publicKey) };
}

/**
 * New keys (primes from paillier-bigint, g = n+1, DJN on unless `djn: false`). 2048 bits take a few seconds.
 */
export async function generatePaillierKeys(bits = PAILLIER_MIN_BITS, options: PaillierKeyOptions = {}): Promise<PaillierKeyPair> {
  checkBits(bits, options.allowInsecureSmallKeys);
  if (bits < 16 || bits % 2) throw paillierError('bad-key-size', 'Paillier key size must be an even number of bits');
  const { publicKey, privateKey } = await generateRandomKeys(bits, true);
  const n = publicKey.n;
  const phi = privateKey.lambda; // simple variant: λ = φ(n) = (p−1)(q−1)
  const s = n - phi + 1n; // p + q
  const d = isqrt(s * s - 4n * n); // p − q
  const p = (s + d) / 2n;
  const q = (s - d) / 2n;
  if (p * q !== n) throw new Error('paillier-bigint key has an unexpected λ');
  return paillierKeysFromPrimes(p, q, { ...options, djn: options.djn ?? true });
}

/**
 * An offline pool of r^n mod n² values. The pool never schedules itself (crypto/ is pure): the owner calls
 * `refill(count)` off the request path, e.g. a `setImmediate` loop refilling 16 at a time while `size < lowWater`, or
 * a worker thread, and the request path calls `encrypt(m, { pool })`, which costs one multiplication per hit.
 * A miss (empty pool) falls back to computing the factor inline and is counted in `misses`.
 */
export class RandomnessPool {
  private readonly values: bigint[] = [];
  misses = 0;
  constructor(
    readonly publicKey: PaillierPublicKey,
    readonly capacity = 1024,
  ) {}

  get size(): number {
    return this.values.length;
  }

  /** computes up to `count` new factors (bounded by capacity); returns how many were added */
  refill(count = this.capacity - this.values.length): number {
    const todo = Math.max(0, Math.min(count, this.capacity - this.values.length));
    for (let i = 0; i < todo; i++) this.values.push(this.publicKey.randomFactor());
    return todo;
  }

  /** one precomputed factor, or undefined when empty (a miss); refuses a pool built for another key */
  take(forKey?: PaillierPublicKey): bigint | undefined {
    if (forKey && forKey.n !== this.publicKey.n) throw paillierError('pool-key-mismatch', 'randomness pool belongs to another Paillier key');
    const v = this.values.pop();
    if (v === undefined) this.misses++;
    return v;
  }
}
