// Bearer-token authentication for protected routes: who is calling, checked against the live account each time.
import type { Context, MiddlewareHandler } from 'hono';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { licenses, operators } from '../../store/index.ts';
import type { AppEnv, GatewayDeps, Services } from '../context.ts';
import { verifyAccessToken } from '../identity/access-tokens.ts';
import { ipAllowed } from '../identity/ip-allowlist.ts';
import { findStaffAccount, type StaffRole } from '../identity/staff.ts';
import type { GatewayVerbContext } from '../verb-context.ts';
import { DEFAULT_RATE_LIMITS, limitPrincipal } from './rate-limit.ts';

export function servicesOf(deps: GatewayDeps): Services {
  const services = deps.services();
  if (!services) throw new AppError('NOT_READY', 'the platform is starting or its database is unreachable');
  return services;
}

/** The context a verb gets from a request: actor, database, request id, caller IP. */
export function verbContext(deps: GatewayDeps, c: Context<AppEnv, any, any>): GatewayVerbContext {
  return { actor: c.get('actor'), database: servicesOf(deps).database, requestId: c.get('requestId'), ip: c.get('ip') };
}

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header) : null;
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'a bearer token is required');
  return match[1];
}

/** Admits staff of the given roles only; an operator token on a staff route is refused (403). */
export function requireStaff(deps: GatewayDeps, roles: readonly StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { database, keys } = servicesOf(deps);
    const claims = await verifyAccessToken(keys, deps.config.publicUrl, bearerToken(c.req.header('authorization')));
    if (claims.role === 'operator') throw new AppError('FORBIDDEN', 'this route is for staff');
    // the account is re-read on every request so a disabled account loses access at once
    const staff = await findStaffAccount(database.db, claims.sub);
    if (!staff) throw new AppError('UNAUTHENTICATED', 'the account behind this token no longer exists or is disabled');
    c.set('actor', { type: 'staff', ...staff });
    limitPrincipal(deps.rateLimits ?? DEFAULT_RATE_LIMITS, `staff:${staff.id}`);
    if (!roles.includes(staff.role)) throw new AppError('FORBIDDEN', 'your role may not use this route');
    await next();
  };
}

/**
 * Admits operators only. The operator's status and licences are re-read on every request, so suspending an
 * operator or revoking a licence takes effect on tokens already issued; the caller's IP must still be allowed.
 */
export function requireOperator(deps: GatewayDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { database, keys } = servicesOf(deps);
    const claims = await verifyAccessToken(keys, deps.config.publicUrl, bearerToken(c.req.header('authorization')));
    if (claims.role !== 'operator') throw new AppError('FORBIDDEN', 'this route is for licensed operators');
    const [operator] = await database.db.select({ status: operators.status }).from(operators).where(eq(operators.id, claims.sub));
    if (!operator) throw new AppError('UNAUTHENTICATED', 'the operator behind this token is not registered');
    c.set('actor', { type: 'operator', id: claims.sub, licenses: [] });
    limitPrincipal(deps.rateLimits ?? DEFAULT_RATE_LIMITS, `operator:${claims.sub}`);
    if (operator.status !== 'active') throw new AppError('FORBIDDEN', `the operator is ${operator.status}`);
    const now = new Date();
    const granted = new Set(claims.licenses ?? []);
    const live = (await database.db.select().from(licenses).where(and(eq(licenses.operatorId, claims.sub), eq(licenses.status, 'active'))))
      .filter((l) => granted.has(l.id) && l.validFrom <= now && now < l.validTo && ipAllowed(c.get('ip'), l.ipAllowlist))
      .map((l) => l.id);
    if (live.length === 0) throw new AppError('FORBIDDEN', 'no licence of this token is valid now from this address');
    c.set('actor', { type: 'operator', id: claims.sub, licenses: live });
    await next();
  };
}
