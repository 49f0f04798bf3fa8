// Rounding of released counts and sums, and the OpenSAFELY rule: redact small counts, then round the rest.

import { roundTo as roundDecimal } from '../../policies/index.ts';

/**
 * `value` rounded to the nearest multiple of `base` (halves away from zero), free of binary noise for decimal bases.
 * Base 1 leaves integers as they are. Throws TypeError for a non-finite value or a base that is not positive.
 */
export function roundTo(value: number, base: number): number {
  if (!(base > 0) || !Number.isFinite(base)) throw new TypeError('base must be a positive number');
  const r = roundDecimal(value, base);
  if (r === null) throw new TypeError('value must be finite');
  return r;
}

export interface RedactRoundOptions {
  /** counts at or below this are redacted (OpenSAFELY: 7) */
  readonly redactAtOrBelow?: number;
  /** the rest are rounded to a multiple of this (OpenSAFELY: 5) */
  readonly base?: number;
  /** whether 0 is redacted too (default false: a zero has nobody in it, though it can say "everyone in X has Y") */
  readonly redactZero?: boolean;
}

/**
 * OpenSAFELY's statistical disclosure control for a count: null (redacted) when 0 < count <= 7, else rounded to
 * the nearest 5. Throws TypeError for a negative or non-integer count.
 */
export function redactAndRound(count: number, options: RedactRoundOptions = {}): number | null {
  if (!Number.isInteger(count) || count < 0) throw new TypeError('count must be a non-negative integer');
  const limit = options.redactAtOrBelow ?? 7;
  if (count <= limit && (count > 0 || options.redactZero === true)) return null;
  return roundTo(count, options.base ?? 5);
}
