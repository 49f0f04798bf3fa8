// GB 32100-2015 unified social credit code (统一社会信用代码): check character, validation and composition.

import { organizationCodeCheckChar } from './organization-code.ts';

/** The 31 characters GB 32100 allows; I, O, S, V, Z are left out because they are easily confused with digits or each other. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// charCode -> value in the charset, -1 for characters outside it; a flat table keeps the hot loop free of indexOf.
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARSET.length; i++) VALUE[USCC_CHARSET.charCodeAt(i)] = i;

function sumOrNaN(first17: string): number {
  if (first17.length !== 17) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = first17.charCodeAt(i);
    const v = c < 128 ? (VALUE[c] ?? -1) : -1;
    if (v < 0) return Number.NaN;
    sum += v * (WEIGHTS[i] ?? 0);
  }
  return sum;
}

/**
 * Check character (18th position) for the first 17 characters of a USCC.
 * Throws RangeError when `first17` is not 17 characters of the GB 32100 charset.
 */
export function usccCheckChar(first17: string): string {
  const sum = sumOrNaN(first17);
  if (Number.isNaN(sum)) throw new RangeError(`not 17 characters of the USCC charset: ${JSON.stringify(first17)}`);
  // C18 = 31 - (sum mod 31), with 31 written as 0.
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** True when `code` is 18 characters of the GB 32100 charset (upper case) with a correct check character. */
export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false;
  const sum = sumOrNaN(code.slice(0, 17));
  if (Number.isNaN(sum)) return false;
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31) === code.charAt(17);
}

/**
 * Builds a full USCC from its parts: 2 characters of registration authority and entity type (e.g. `91` enterprise
 * registered by market regulation, `11` government body), a 6-digit region code, and the 8-character body of the
 * organisation code, whose GB 11714 check character and the GB 32100 check character are appended.
 */
export function composeUscc(authorityAndType: string, region: string, orgBody8: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{2}$/.test(authorityAndType)) throw new RangeError(`bad authority/type code: ${authorityAndType}`);
  if (!/^\d{6}$/.test(region)) throw new RangeError(`region must be 6 digits: ${region}`);
  const first17 = authorityAndType + region + orgBody8 + organizationCodeCheckChar(orgBody8);
  return first17 + usccCheckChar(first17);
}
