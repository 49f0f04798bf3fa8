// Console sessions: the staff access token in an HttpOnly, SameSite=Strict cookie, renewed while in use (idle timeout),
// and a CSRF token bound to the session for every form that changes state.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError, isAppError } from '../../errors/index.ts';
import type { Actor } from '../../policies/index.ts';
import { principalOf } from '../authorization.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, verifyAccessToken } from '../identity/access-tokens.ts';
import { findStaffAccount, type StaffAccount } from '../identity/staff.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';

export const SESSION_COOKIE = 'console_session';
/** A session unused for this long ends: the token's own lifetime. */
export const IDLE_TIMEOUT_SECONDS = ACCESS_TOKEN_TTL_SECONDS;
/** A token older than this is replaced by a fresh one on the next request (sliding idle timeout). */
const RENEW_AFTER_SECONDS = 5 * 60;

export interface ConsoleSession {
  staff: StaffAccount;
  /** the form token of this session (hidden `_csrf` field) */
  csrf: string;
}

export type ConsoleEnv = AppEnv & { Variables: AppEnv['Variables'] & { session: ConsoleSession } };

const secureCookie = (deps: GatewayDeps) => deps.config.publicUrl.startsWith('https:');

/** Signs the staff member in: a fresh token in the session cookie. */
export async function startSession(c: Context, deps: GatewayDeps, staff: StaffAccount): Promise<void> {
  const { keys } = servicesOf(deps);
  const token = await issueAccessToken(keys, deps.config.publicUrl, { sub: staff.id, role: staff.role });
  setCookie(c, SESSION_COOKIE, token.access_token, {
    httpOnly: true,
    secure: secureCookie(deps),
    sameSite: 'Strict',
    path: '/console',
    maxAge: IDLE_TIMEOUT_SECONDS,
  });
}

export function endSession(c: Context, deps: GatewayDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secureCookie(deps), sameSite: 'Strict', httpOnly: true });
}

/**
 * The CSRF token: a digest of the session token's id. A page of ours embeds it; another site can neither read it
 * (same-origin policy) nor send our cookie (SameSite=Strict) — two independent guards.
 */
export function csrfTokenOf(jti: string): string {
  return createHash('sha256').update(`console-csrf:${jti}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admits signed-in staff. No or expired session: a page request is sent to the sign-in page, anything else gets 401.
 * State-changing requests must carry the session's CSRF token and, when the browser sends one, our own Origin.
 */
export function requireConsoleSession(deps: GatewayDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const { database, keys } = servicesOf(deps);
    const token = getCookie(c, SESSION_COOKIE);
    let claims: Awaited<ReturnType<typeof verifyAccessToken>> | undefined;
    if (token) {
      try {
        claims = await verifyAccessToken(keys, deps.config.publicUrl, token);
      } catch (err) {
        if (!isAppError(err)) throw err;
      }
    }
    const staff = claims && claims.role !== 'operator' ? await findStaffAccount(database.db, claims.sub) : undefined;
    if (!claims || !staff) {
      endSession(c, deps);
      if (c.req.method === 'GET') {
        const next = new URL(c.req.url).pathname;
        return c.redirect(`/console/login?next=${encodeURIComponent(next)}`, 303);
      }
      throw new AppError('UNAUTHENTICATED', 'the console session has ended; sign in again');
    }
    const csrf = csrfTokenOf(claims.jti);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // "null": the platform's Referrer-Policy (no-referrer) makes browsers send no origin at all; the token decides
      const origin = c.req.header('origin');
      if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin && origin !== deps.config.publicUrl) {
        throw new AppError('FORBIDDEN', 'cross-origin form submission refused');
      }
      const form = await c.req.parseBody();
      const sent = typeof form._csrf === 'string' ? form._csrf : (c.req.header('x-csrf-token') ?? '');
      if (!sameToken(sent, csrf)) throw new AppError('FORBIDDEN', 'the form token is missing or stale; reload the page');
    }
    const actor: Extract<Actor, { type: 'staff' }> = { type: 'staff', ...staff };
    c.set('actor', actor);
    c.set('principal', principalOf(actor));
    c.set('session', { staff, csrf });
    if (claims.iat !== undefined && Date.now() / 1000 - claims.iat > RENEW_AFTER_SECONDS) await startSession(c, deps, staff);
    await next();
  };
}

/** The verb context of a console request: the same actor, audit trail and decision point as the API's. */
export function consoleVerbContext(deps: GatewayDeps, c: Context<ConsoleEnv, any, any>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  // ConsoleEnv only adds `session` to AppEnv's variables; verbContext reads none of it
  return verbContext(deps, c as unknown as Context<AppEnv>);
}
