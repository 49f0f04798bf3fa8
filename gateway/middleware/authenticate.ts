// Bearer-token authentication for protected routes: who is calling, checked against the live account.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/index.ts';
import type { AppEnv, GatewayDeps, Services } from '../context.ts';
import { verifyAccessToken } from '../identity/access-tokens.ts';
import { findStaffAccount, type StaffRole } from '../identity/staff.ts';

export function servicesOf(deps: GatewayDeps): Services {
  const services = deps.services();
  if (!services) throw new AppError('NOT_READY', 'the platform is starting or its database is unreachable');
  return services;
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
    if (!roles.includes(staff.role)) throw new AppError('FORBIDDEN', 'your role may not use this route');
    c.set('actor', { type: 'staff', ...staff });
    await next();
  };
}
