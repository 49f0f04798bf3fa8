// GB 11714-1997 organisation code (组织机构代码), the 9 characters at positions 9-17 of a USCC: check character and validation.

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Value of a body character: digits 0-9, letters A-Z 10-35; -1 otherwise. */
function charValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/**
 * Check character (9th) for the 8-character body of an organisation code.
 * Throws RangeError unless `body8` is 8 characters of 0-9 / A-Z.
 */
export function organizationCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`organisation code body must be 8 characters: ${JSON.stringify(body8)}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = charValue(body8.charCodeAt(i));
    if (v < 0) throw new RangeError(`organisation code body must be 0-9/A-Z: ${JSON.stringify(body8)}`);
    sum += v * (WEIGHTS[i] ?? 0);
  }
  // C9 = 11 - (sum mod 11); 10 is written X and 11 is written 0.
  const c9 = 11 - (sum % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
}

/** True when `code` is an 8-character body of 0-9/A-Z plus a correct check character (no hyphen). */
export function isValidOrganizationCode(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 9 || !/^[0-9A-Z]{8}[0-9X]$/.test(code)) return false;
  return organizationCodeCheckChar(code.slice(0, 8)) === code.charAt(8);
}
