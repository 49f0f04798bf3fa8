// Bearer-token authentication for protected routes: who is calling, checked against the live account each time.
// What they may do is Cedar's decision (gateway/authorization.ts), asked by each verb.
import type { Context, MiddlewareHandler } from 'hono';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { AuthorizationQuestion } from '../../catalog-open/index.ts';
import type { EntitySlice } from '../../policies/index.ts';
import { licenses, operators, type AuditEvent } from '../../store/index.ts';
import { decide, decideEach, principalOf } from '../authorization.ts';
import type { AppEnv, GatewayDeps, Services } from '../context.ts';
import { verifyAccessToken } from '../identity/access-tokens.ts';
import { ipAllowed } from '../identity/ip-allowlist.ts';
import { findStaffAccount } from '../identity/staff.ts';
import type { GatewayVerbContext } from '../verb-context.ts';
import { limitPrincipal } from './rate-limit.ts';

export function servicesOf(deps: GatewayDeps): Services {
  const services = deps.services();
  if (!services) throw new AppError('NOT_READY', 'the platform is starting or its database is unreachable');
  return services;
}

// any route's context carries the same variables
type AnyContext = Context<AppEnv, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The context a verb gets from a request: actor, database, request id, caller IP, and the decision point. */
export function verbContext(deps: GatewayDeps, c: AnyContext): GatewayVerbContext {
  const services = servicesOf(deps);
  const decision = {
    principal: c.get('principal') as EntitySlice,
    authorizer: services.authorizer,
    record: recorderOf(c, services),
    ip: c.get('ip'),
    requestId: c.get('requestId'),
  };
  return {
    actor: c.get('actor'),
    database: services.database,
    requestId: c.get('requestId'),
    ip: c.get('ip'),
    authorize: (question: AuthorizationQuestion) => decide(decision, question),
    authorizeEach: (questions, resource) => decideEach(decision, questions, resource),
  };
}

/** Queues audit events on the request's trail when it has one (audited routes), else appends them at once. */
function recorderOf(c: AnyContext, services: Services): (event: AuditEvent) => Promise<unknown> {
  const trail = c.get('auditTrail') as AuditEvent[] | undefined;
  return trail ? async (event) => trail.push(event) : (event) => services.audit.append(event);
}

/** A route-level decision for routes whose resource is fixed (the audit log, the whitelist). */
export function authorizeRoute(deps: GatewayDeps, question: AuthorizationQuestion): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await verbContext(deps, c).authorize(question);
    await next();
  };
}

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header) : null;
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'a bearer token is required');
  return match[1];
}

/** Admits staff only; an operator token on a staff route is refused (403). */
export function requireStaff(deps: GatewayDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { database, keys } = servicesOf(deps);
    const claims = await verifyAccessToken(keys, deps.config.publicUrl, bearerToken(c.req.header('authorization')));
    if (claims.role === 'operator') throw new AppError('FORBIDDEN', 'this route is for staff');
    // the account is re-read on every request so a disabled account loses access at once
    const staff = await findStaffAccount(database.db, claims.sub);
    if (!staff) throw new AppError('UNAUTHENTICATED', 'the account behind this token no longer exists or is disabled');
    const actor = { type: 'staff', ...staff } as const;
    c.set('actor', actor);
    c.set('principal', principalOf(actor));
    await limitPrincipal(deps, `staff:${staff.id}`);
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
    const [operator] = await database.db.select({ id: operators.id, status: operators.status }).from(operators).where(eq(operators.id, claims.sub));
    if (!operator) throw new AppError('UNAUTHENTICATED', 'the operator behind this token is not registered');
    c.set('actor', { type: 'operator', id: claims.sub, licenses: [] });
    await limitPrincipal(deps, `operator:${claims.sub}`);
    if (operator.status !== 'active') throw new AppError('FORBIDDEN', `the operator is ${operator.status}`);
    const now = new Date();
    const granted = new Set(claims.licenses ?? []);
    const live = (await database.db.select().from(licenses).where(and(eq(licenses.operatorId, claims.sub), eq(licenses.status, 'active')))).filter(
      (l) => granted.has(l.id) && l.validFrom <= now && now < l.validTo && ipAllowed(c.get('ip'), l.ipAllowlist),
    );
    if (live.length === 0) throw new AppError('FORBIDDEN', 'no licence of this token is valid now from this address');
    const actor = { type: 'operator', id: claims.sub, licenses: live.map((l) => l.id) } as const;
    c.set('actor', actor);
    c.set('principal', principalOf(actor, { row: operator, licenses: live }));
    await next();
  };
}
