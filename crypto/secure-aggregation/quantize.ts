// Fixed-point quantization of reals into Z_(2^k), k ≤ 32, two's complement, with overflow checks for sums.
import { secaggError } from './primitives.ts';

export interface QuantizationParams {
  /** bits of the aggregation modulus 2^k, 1..32 */
  bits: number;
  /** values are multiplied by `scale` and rounded */
  scale: number;
  /** how many vectors will be summed: bounds each quantized |value| by ⌊(2^(k−1) − 1) / parties⌋ */
  parties: number;
}

export function quantizationBound(p: QuantizationParams): number {
  checkBits(p.bits);
  if (!Number.isInteger(p.parties) || p.parties < 1) throw secaggError('VALIDATION_FAILED', 'bad-parameters', 'parties must be a positive integer');
  return Math.floor((2 ** (p.bits - 1) - 1) / p.parties);
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 32) throw secaggError('VALIDATION_FAILED', 'bad-parameters', 'aggregation bits must be 2..32');
}

/** reals → elements of Z_(2^k) (negatives as 2^k − |v|); throws on non-finite values and on possible sum overflow */
export function quantize(values: ArrayLike<number>, p: QuantizationParams): Uint32Array {
  const bound = quantizationBound(p);
  if (!(p.scale > 0) || !Number.isFinite(p.scale)) throw secaggError('VALIDATION_FAILED', 'bad-parameters', 'scale must be positive');
  const mask = p.bits === 32 ? 0xffffffff : 2 ** p.bits - 1;
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = Math.round(values[i]! * p.scale);
    if (!Number.isFinite(q) || Math.abs(q) > bound)
      throw secaggError('VALIDATION_FAILED', 'quantization-overflow', `value ${i} is not finite or exceeds ±${bound / p.scale} (sum could overflow 2^${p.bits})`, { index: i });
    out[i] = (q & mask) >>> 0;
  }
  return out;
}

/** a sum mod 2^k back to reals (top half read as negative) */
export function dequantize(sum: ArrayLike<number>, p: Pick<QuantizationParams, 'bits' | 'scale'>): Float64Array {
  checkBits(p.bits);
  const mod = 2 ** p.bits;
  const half = 2 ** (p.bits - 1);
  const out = new Float64Array(sum.length);
  for (let i = 0; i < sum.length; i++) {
    const v = sum[i]! % mod;
    out[i] = (v >= half ? v - mod : v) / p.scale;
  }
  return out;
}
