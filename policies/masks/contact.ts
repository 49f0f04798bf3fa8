// maskMobile and maskEmail: contact details down to the parts that say little about the person.

export const MASKED_MOBILE = '***********';
export const MASKED_EMAIL = '***@***';

/**
 * Keeps the first 3 digits (the carrier's segment) and the last 4: `13812345678` → `138****5678`.
 * A leading `+86`/`86` is dropped. Anything that is not an 11-digit mainland mobile number is fully masked.
 */
export function maskMobile(mobile: string): string {
  let start = 0;
  if (mobile.length === 14 && mobile.startsWith('+86')) start = 3;
  else if (mobile.length === 13 && mobile.startsWith('86')) start = 2;
  if (mobile.length - start !== 11 || mobile.charCodeAt(start) !== 49) return MASKED_MOBILE;
  for (let i = start; i < mobile.length; i++) {
    const c = mobile.charCodeAt(i);
    if (c < 48 || c > 57) return MASKED_MOBILE;
  }
  return `${mobile.slice(start, start + 3)}****${mobile.slice(start + 7)}`;
}

/**
 * Keeps the first character of the local part and the domain: `zhangsan@example.cn` → `z***@example.cn`.
 * A one-character local part keeps nothing (`***@example.cn`); a value without exactly one `@` is fully masked.
 */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 0 || at !== email.lastIndexOf('@') || at === email.length - 1) return MASKED_EMAIL;
  const domain = email.slice(at + 1);
  const first = (email.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
  if (at <= first) return `***@${domain}`;
  return `${email.slice(0, first)}***@${domain}`;
}
