// GB 11643-1999 citizen identity number (公民身份号码): check character and validation, including the birth date.

import { isValidDate } from '../calendar.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by (weighted sum mod 11), from ISO 7064 MOD 11-2. */
const CHECK = '10X98765432';

function weightedSum(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = first17.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    sum += d * (WEIGHTS[i] ?? 0);
  }
  return sum;
}

/**
 * Check character (0-9 or X) for the first 17 digits of a resident ID.
 * Throws RangeError unless `first17` is exactly 17 ASCII digits.
 */
export function residentIdCheckChar(first17: string): string {
  const sum = first17.length === 17 ? weightedSum(first17) : Number.NaN;
  if (Number.isNaN(sum)) throw new RangeError(`resident ID prefix must be 17 digits: ${JSON.stringify(first17)}`);
  return CHECK.charAt(sum % 11);
}

/**
 * True when `id` is 17 digits plus a correct check character (upper-case X only), and positions 7-14 form a real
 * calendar date (YYYYMMDD) from 1800 on. The region code is not looked up: checking it needs the division table,
 * and IDs issued under since-abolished codes stay valid for life.
 */
export function isValidResidentId(id: string): boolean {
  if (typeof id !== 'string' || id.length !== 18) return false;
  const sum = weightedSum(id);
  if (Number.isNaN(sum) || CHECK.charAt(sum % 11) !== id.charAt(17)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return year >= 1800 && isValidDate(year, month, day);
}

/** Birth date (YYYY-MM-DD) encoded in a resident ID; no validation. */
export function residentIdBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Sex encoded in a resident ID: the 17th digit is odd for men (男), even for women (女); no validation. */
export function residentIdSex(id: string): '男' | '女' {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女';
}
