// maskResidentId: a resident ID (GB 11643-1999) down to its issuing region and birth year.

/** What a value that is not a resident ID becomes: nothing of it is kept, not even its length. */
export const MASKED_RESIDENT_ID = '******************';

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Keeps the 6-digit region code and the 4-digit birth year; masks the month and day of birth, the sequence number
 * (which carries the sex) and the check character: `110105194912310021` → `1101051949********`.
 * A 15-digit ID (issued before 1999, born 19xx) is written in the 18-character form. Anything else is fully masked.
 */
export function maskResidentId(id: string): string {
  if (id.length === 18) {
    const last = id.charCodeAt(17);
    const lastOk = (last >= 48 && last <= 57) || last === 88 || last === 120; // 0-9, X, x
    return lastOk && allDigits(id, 0, 17) ? `${id.slice(0, 10)}********` : MASKED_RESIDENT_ID;
  }
  if (id.length === 15 && allDigits(id, 0, 15)) return `${id.slice(0, 6)}19${id.slice(6, 8)}********`;
  return MASKED_RESIDENT_ID;
}
