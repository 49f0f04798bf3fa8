// Shamir secret sharing of 32-byte secrets over GF(2^521 − 1), shares at x = party id.
import { randomBytes } from 'node:crypto';
import { secaggError } from './primitives.ts';

/** the Mersenne prime 2^521 − 1: larger than any 256-bit secret */
export const SHAMIR_PRIME = (1n << 521n) - 1n;
export const SHARE_BYTES = 66;

export interface Share {
  /** evaluation point, 1 ≤ x < 2^31 (the party id) */
  x: number;
  y: bigint;
}

function fieldMod(a: bigint): bigint {
  const r = a % SHAMIR_PRIME;
  return r < 0n ? r + SHAMIR_PRIME : r;
}

function randomField(): bigint {
  for (;;) {
    const b = randomBytes(66);
    b[0]! &= 0x01; // 521 bits
    const v = BigInt('0x' + b.toString('hex'));
    if (v < SHAMIR_PRIME) return v;
  }
}

function inv(a: bigint): bigint {
  let [r0, r1] = [fieldMod(a), SHAMIR_PRIME];
  let [s0, s1] = [1n, 0n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return fieldMod(s0);
}

export function secretToField(secret: Uint8Array): bigint {
  if (secret.length !== 32) throw secaggError('VALIDATION_FAILED', 'bad-secret', 'Shamir secret must be 32 bytes');
  return BigInt('0x' + Buffer.from(secret).toString('hex'));
}

export function fieldToSecret(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw secaggError('VALIDATION_FAILED', 'bad-share', 'reconstructed secret out of range (inconsistent shares)');
  return new Uint8Array(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
}

function checkXs(xs: readonly number[]): void {
  const seen = new Set<number>();
  for (const x of xs) {
    if (!Number.isInteger(x) || x < 1 || x >= 2 ** 31) throw secaggError('VALIDATION_FAILED', 'bad-share', 'share point must be an integer in [1, 2^31)');
    if (seen.has(x)) throw secaggError('VALIDATION_FAILED', 'bad-share', `duplicate share point ${x}`);
    seen.add(x);
  }
}

/** t-of-n shares of a 32-byte secret at the given points (a random polynomial of degree t − 1) */
export function splitSecret(secret: Uint8Array, xs: readonly number[], threshold: number): Share[] {
  checkXs(xs);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > xs.length)
    throw secaggError('VALIDATION_FAILED', 'bad-threshold', `threshold ${threshold} must be between 1 and ${xs.length}`);
  const coeffs = [secretToField(secret)];
  for (let i = 1; i < threshold; i++) coeffs.push(randomField());
  return xs.map((x) => {
    const bx = BigInt(x);
    let y = 0n;
    for (let i = coeffs.length - 1; i >= 0; i--) y = (y * bx + coeffs[i]!) % SHAMIR_PRIME;
    return { x, y };
  });
}

/** Lagrange coefficients at 0 for the points xs */
export function lagrangeAtZero(xs: readonly number[]): bigint[] {
  checkXs(xs);
  const bx = xs.map(BigInt);
  return bx.map((xi, i) => {
    let num = 1n;
    let den = 1n;
    for (let j = 0; j < bx.length; j++) {
      if (j === i) continue;
      num = (num * bx[j]!) % SHAMIR_PRIME;
      den = fieldMod(den * (bx[j]! - xi));
    }
    return (num * inv(den)) % SHAMIR_PRIME;
  });
}

/** the field value at 0 interpolated from exactly the given shares (≥ threshold needed for it to be the secret) */
export function interpolate(shares: readonly Share[], coefficients = lagrangeAtZero(shares.map((s) => s.x))): bigint {
  let acc = 0n;
  for (let i = 0; i < shares.length; i++) acc += shares[i]!.y * coefficients[i]!;
  return acc % SHAMIR_PRIME;
}

/** the secret from the first `threshold` shares; throws when fewer are given */
export function combineShares(shares: readonly Share[], threshold: number, coefficients?: bigint[]): Uint8Array {
  if (shares.length < threshold)
    throw secaggError('CONFLICT', 'too-few-shares', `${shares.length} shares given; ${threshold} are needed`, { have: shares.length, need: threshold });
  const used = shares.slice(0, threshold);
  return fieldToSecret(interpolate(used, coefficients));
}

export function encodeShareValue(y: bigint): Uint8Array {
  return new Uint8Array(Buffer.from(y.toString(16).padStart(SHARE_BYTES * 2, '0'), 'hex'));
}

export function decodeShareValue(bytes: Uint8Array): bigint {
  if (bytes.length !== SHARE_BYTES) throw secaggError('VALIDATION_FAILED', 'bad-share', `share must be ${SHARE_BYTES} bytes`);
  const y = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  if (y >= SHAMIR_PRIME) throw secaggError('VALIDATION_FAILED', 'bad-share', 'share value outside the field');
  return y;
}
