// Plaintext encodings for Paillier: signed fixed-point reals and packing of small integers into slots.
import { bitLength } from './bigint-math.ts';
import { paillierError } from './paillier.ts';

/** the largest |value·2^fractionBits| a plaintext mod n can hold signed: ⌊(n−1)/2⌋ */
export function fixedPointCapacity(n: bigint): bigint {
  return (n - 1n) / 2n;
}

/**
 * round(x·2^fractionBits) as an element of Z_n (negatives as n − |v|). Throws on non-finite x and on overflow.
 * Sums stay decodable while Σ|x|·2^fractionBits ≤ (n−1)/2; a product with an encoded plaintext has 2·fractionBits.
 */
export function encodeFixedPoint(x: number, n: bigint, fractionBits = 32): bigint {
  if (!Number.isFinite(x)) throw paillierError('not-finite', 'fixed-point value must be finite');
  if (!Number.isInteger(fractionBits) || fractionBits < 0 || fractionBits > 1000)
    throw paillierError('bad-scale', 'fixed-point fraction bits out of range');
  const scaled = x * 2 ** fractionBits;
  const v = Number.isFinite(scaled) ? BigInt(Math.round(scaled)) : bigScaled(x, fractionBits);
  const abs = v < 0n ? -v : v;
  if (abs > fixedPointCapacity(n)) throw paillierError('fixed-point-overflow', 'fixed-point value overflows the Paillier modulus');
  return v < 0n ? n + v : v;
}

function bigScaled(x: number, fractionBits: number): bigint {
  // x·2^f exceeds the double range: scale the integer part of x exactly
  return BigInt(Math.round(x)) << BigInt(fractionBits);
}

/** the inverse of encodeFixedPoint (m in [0, n); values above n/2 read as negative) */
export function decodeFixedPoint(m: bigint, n: bigint, fractionBits = 32): number {
  if (m < 0n || m >= n) throw paillierError('plaintext-out-of-range', 'fixed-point plaintext out of range for the modulus');
  const signed = 2n * m > n ? m - n : m;
  return Number(signed) / 2 ** fractionBits;
}

export interface PackingLayout {
  /** each value must be below 2^valueBits */
  valueBits: number;
  /** valueBits plus headroom for sums of up to `maxAdditions` packed vectors */
  slotBits: number;
  slotsPerPlaintext: number;
  maxAdditions: number;
}

/** slots of valueBits + ⌈log2 maxAdditions⌉ bits, as many as fit below the modulus (bitLength(n) − 1 bits) */
export function packingLayout(n: bigint, valueBits: number, maxAdditions = 1): PackingLayout {
  if (!Number.isInteger(valueBits) || valueBits < 1) throw paillierError('bad-layout', 'valueBits must be a positive integer');
  if (!Number.isInteger(maxAdditions) || maxAdditions < 1) throw paillierError('bad-layout', 'maxAdditions must be a positive integer');
  const slotBits = valueBits + Math.ceil(Math.log2(maxAdditions));
  const slotsPerPlaintext = Math.floor((bitLength(n) - 1) / slotBits);
  if (slotsPerPlaintext < 1) throw paillierError('bad-layout', 'slot does not fit in the Paillier modulus');
  return { valueBits, slotBits, slotsPerPlaintext, maxAdditions };
}

/** packs non-negative integers < 2^valueBits, slot i of each plaintext at bit i·slotBits */
export function packVector(values: readonly (bigint | number)[], layout: PackingLayout): bigint[] {
  const limit = 1n << BigInt(layout.valueBits);
  const shift = BigInt(layout.slotBits);
  const out: bigint[] = [];
  for (let start = 0; start < values.length; start += layout.slotsPerPlaintext) {
    const end = Math.min(start + layout.slotsPerPlaintext, values.length);
    let acc = 0n;
    for (let i = end - 1; i >= start; i--) {
      const raw = values[i]!;
      if (typeof raw === 'number' && !Number.isSafeInteger(raw)) throw paillierError('bad-slot-value', 'packed value must be an integer');
      const v = BigInt(raw);
      if (v < 0n || v >= limit) throw paillierError('slot-overflow', `packed value out of range [0, 2^${layout.valueBits})`);
      acc = (acc << shift) | v;
    }
    out.push(acc);
  }
  return out;
}

/** the first `length` slots of the plaintexts, each read modulo 2^slotBits (sums of up to maxAdditions vectors) */
export function unpackVector(plaintexts: readonly bigint[], layout: PackingLayout, length: number): bigint[] {
  if (length > plaintexts.length * layout.slotsPerPlaintext) throw paillierError('bad-length', 'fewer packed slots than requested');
  const mask = (1n << BigInt(layout.slotBits)) - 1n;
  const shift = BigInt(layout.slotBits);
  const out: bigint[] = [];
  for (const p of plaintexts) {
    let acc = p;
    for (let s = 0; s < layout.slotsPerPlaintext && out.length < length; s++, acc >>= shift) out.push(acc & mask);
    if (out.length >= length) break;
  }
  return out;
}
