// BigInt helpers for Paillier: modular exponentiation (windowed), inverses, randomness and a fixed-base table.
import { createDiffieHellman, randomBytes } from 'node:crypto';

export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  return x === 0n ? 0 : x.toString(2).length;
}

export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** a⁻¹ mod m; throws RangeError when gcd(a, m) ≠ 1 */
export function modInv(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return mod(oldS, m);
}

/** base^exp mod m, exp ≥ 0, left-to-right with a 5-bit sliding window */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  if (exp < 0n) return modPow(modInv(base, m), -exp, m);
  base = mod(base, m);
  if (exp === 0n) return 1n;
  const bits = exp.toString(2);
  if (bits.length < 24) {
    let r = 1n;
    for (let i = 0; i < bits.length; i++) {
      r = (r * r) % m;
      if (bits.charCodeAt(i) === 49) r = (r * base) % m;
    }
    return r;
  }
  const W = 5;
  const b2 = (base * base) % m;
  const odd: bigint[] = [base]; // odd[i] = base^(2i+1)
  for (let i = 1; i < 1 << (W - 1); i++) odd.push((odd[i - 1]! * b2) % m);
  let r = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits.charCodeAt(i) === 48) {
      r = (r * r) % m;
      i++;
      continue;
    }
    let j = Math.min(i + W, bits.length);
    while (bits.charCodeAt(j - 1) === 48) j--;
    const value = parseInt(bits.slice(i, j), 2);
    for (let k = i; k < j; k++) r = (r * r) % m;
    r = (r * odd[(value - 1) >> 1]!) % m;
    i = j;
  }
  return r;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
}

export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  const hex = x.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError('value does not fit');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** uniform random integer of exactly `bits` random bits (top bit may be 0) */
export function randomBits(bits: number): bigint {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const extra = bytes.length * 8 - bits;
  if (extra) bytes[0]! &= 0xff >> extra;
  return bytesToBigInt(bytes);
}

/** uniform random integer in [lo, hi) by rejection sampling */
export function randomBetween(lo: bigint, hi: bigint): bigint {
  const range = hi - lo;
  const bits = bitLength(range - 1n);
  for (;;) {
    const x = randomBits(bits);
    if (x < range) return lo + x;
  }
}

/** floor(√n) */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('negative');
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Fixed-base exponentiation table: table[i][d] = base^(d·2^(w·i)) mod m, so base^e for e < 2^maxBits costs at most
 * ⌈maxBits / w⌉ multiplications and no squarings.
 */
export class FixedBaseTable {
  private readonly rows: bigint[][] = [];
  private readonly mask: bigint;
  constructor(
    readonly base: bigint,
    readonly modulus: bigint,
    readonly maxBits: number,
    readonly window = 6,
  ) {
    this.mask = (1n << BigInt(window)) - 1n;
    const windows = Math.ceil(maxBits / window);
    let g = mod(base, modulus);
    for (let i = 0; i < windows; i++) {
      const row: bigint[] = [1n, g];
      for (let d = 2; d < 1 << window; d++) row.push((row[d - 1]! * g) % modulus);
      this.rows.push(row);
      g = (row[(1 << window) - 1]! * g) % modulus; // g^(2^w)
    }
  }

  pow(exp: bigint): bigint {
    if (exp < 0n || bitLength(exp) > this.maxBits) throw new RangeError('exponent out of table range');
    let r = 1n;
    const w = BigInt(this.window);
    for (let i = 0; exp > 0n; i++, exp >>= w) {
      const d = Number(exp & this.mask);
      if (d) r = (r * this.rows[i]![d]!) % this.modulus;
    }
    return r;
  }
}

function toBuffer(x: bigint): Buffer {
  let h = x.toString(16);
  if (h.length % 2) h = '0' + h;
  return Buffer.from(h, 'hex');
}

let nativeOk: boolean | undefined;
let nativeFallbacks = 0;
/** how many native exponentiations OpenSSL refused (each then redone in BigInt) */
export function nativeModPowFallbacks(): number {
  return nativeFallbacks;
}
/** OpenSSL refuses DH moduli below 512 bits */
const NATIVE_MIN_BITS = 1024;

/**
 * Whether OpenSSL's Montgomery exponentiation is reachable through `createDiffieHellman(modulus).computeSecret(base)`
 * (which computes base^privateKey mod modulus without requiring the modulus to be prime). Checked once against
 * modPow; when false every caller falls back to the BigInt code above.
 */
export function nativeModPowAvailable(): boolean {
  if (nativeOk === undefined) {
    try {
      const m2 = ((1n << 521n) - 1n) * ((1n << 607n) - 1n); // an odd composite, as Paillier moduli are
      const e = 0x1234567890abcdefn;
      const b = 0xfeedfacecafebeefn;
      const dh = createDiffieHellman(toBuffer(m2), toBuffer(2n));
      dh.setPrivateKey(toBuffer(e));
      nativeOk = BigInt('0x' + dh.computeSecret(toBuffer(b)).toString('hex')) === modPow(b, e, m2);
    } catch {
      nativeOk = false;
    }
  }
  return nativeOk;
}

/** x ↦ x^exp mod modulus for a fixed odd modulus and exponent (OpenSSL when available, else BigInt) */
export function fixedExponentPow(exp: bigint, modulus: bigint): (base: bigint) => bigint {
  if (modulus % 2n === 1n && exp > 1n && bitLength(modulus) >= NATIVE_MIN_BITS && nativeModPowAvailable()) {
    const dh = createDiffieHellman(toBuffer(modulus), toBuffer(2n));
    dh.setPrivateKey(toBuffer(exp));
    return (base) => {
      const b = mod(base, modulus);
      if (b <= 1n || b >= modulus - 1n) return modPow(b, exp, modulus); // outside OpenSSL's public-key range check
      try {
        return BigInt('0x' + dh.computeSecret(toBuffer(b)).toString('hex'));
      } catch {
        nativeFallbacks++;
        return modPow(b, exp, modulus);
      }
    };
  }
  return (base) => modPow(base, exp, modulus);
}

/** base ↦ fixedBase^exp mod modulus for varying exponents (OpenSSL when available) */
export function varExponentPow(base: bigint, modulus: bigint): (exp: bigint) => bigint {
  const b = mod(base, modulus);
  if (modulus % 2n === 1n && b > 1n && b < modulus - 1n && bitLength(modulus) >= NATIVE_MIN_BITS && nativeModPowAvailable()) {
    const dh = createDiffieHellman(toBuffer(modulus), toBuffer(2n));
    const bb = toBuffer(b);
    return (exp) => {
      if (exp <= 1n) return modPow(b, exp, modulus);
      dh.setPrivateKey(toBuffer(exp));
      try {
        return BigInt('0x' + dh.computeSecret(bb).toString('hex'));
      } catch {
        nativeFallbacks++;
        return modPow(b, exp, modulus);
      }
    };
  }
  return (exp) => modPow(b, exp, modulus);
}
