// CSRF for the public forms. There is no session, so a double-submit token: a random cookie (HttpOnly,
// SameSite=Strict, path /portal) and the same value in a hidden field. A cross-site page can neither read the cookie
// nor make the browser send it, so it cannot produce a matching pair.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../errors/index.ts';

export const CSRF_COOKIE = 'portal_csrf';
export const CSRF_FIELD = '_csrf';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The caller's token, set as a cookie when it has none (or a malformed one); put it in each form's hidden field. */
export function csrfToken(c: Context): string {
  const current = getCookie(c, CSRF_COOKIE);
  if (current && TOKEN.test(current)) return current;
  const token = randomBytes(32).toString('base64url');
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, CSRF_COOKIE, token, { path: '/portal', httpOnly: true, sameSite: 'Strict', secure, maxAge: 7 * 86400 });
  return token;
}

/** Throws FORBIDDEN unless the form's token equals the cookie's (compared in constant time). */
export function checkCsrf(c: Context, submitted: string | undefined): void {
  const cookie = getCookie(c, CSRF_COOKIE);
  const ok =
    cookie !== undefined &&
    submitted !== undefined &&
    TOKEN.test(cookie) &&
    TOKEN.test(submitted) &&
    timingSafeEqual(Buffer.from(cookie), Buffer.from(submitted));
  if (!ok) throw new AppError('FORBIDDEN', 'the form token is missing or does not match; reload the page', { details: { reason: 'csrf' } });
}

/** The hidden field of a form. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}
