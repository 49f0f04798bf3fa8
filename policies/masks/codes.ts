// maskBankCard and maskUscc: account and organisation codes down to their non-identifying parts.

export const MASKED_BANK_CARD = '****************';
export const MASKED_USCC = '******************';

/** Characters of GB 32100-2015: digits and upper-case letters except I, O, S, V, Z. */
const USCC_CHARS = new Uint8Array(128);
for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') USCC_CHARS[c.charCodeAt(0)] = 1;

/**
 * Keeps the last 4 digits behind a fixed 12 stars, so the card's length (and issuer) is not shown either:
 * `6222021234567890123` → `************0123`. Spaces and dashes are ignored; anything that is not 12 to 19 digits
 * is fully masked.
 */
export function maskBankCard(card: string): string {
  let digits = '';
  for (let i = 0; i < card.length; i++) {
    const c = card.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += card[i];
    else if (c !== 32 && c !== 45) return MASKED_BANK_CARD;
  }
  if (digits.length < 12 || digits.length > 19) return MASKED_BANK_CARD;
  return `************${digits.slice(-4)}`;
}

/**
 * Keeps the registration authority (1st character), the entity type (2nd) and the 6-digit region of registration:
 * `91330106MA2B0XXXX7` → `91330106**********`; masks the organisation code and check character, which identify the
 * organisation. Anything that is not 18 characters of the GB 32100 charset is fully masked.
 */
export function maskUscc(code: string): string {
  if (code.length !== 18) return MASKED_USCC;
  for (let i = 0; i < 18; i++) {
    const c = code.charCodeAt(i);
    if (c >= 128 || USCC_CHARS[c] !== 1) return MASKED_USCC;
  }
  for (let i = 2; i < 8; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return MASKED_USCC;
  }
  return `${code.slice(0, 8)}**********`;
}
