// After a refused sign-in or token request, count the recent refusals from the same address (and for the operator the
// assertion named) and raise an `auth-failures` alert at the policy's threshold (sandbox/alerts/rules.ts). The count
// comes from the audit log, where each refusal is already durable before its response leaves (routes/auth.ts), so it
// holds across restarts and gateway instances.
import type { MiddlewareHandler } from 'hono';
import { and, eq, gte } from 'drizzle-orm';
import { checkAuthFailures } from '../../sandbox/alerts/index.ts';
import { schema } from '../../store/index.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';

const WATCHED = new Set(['/auth/login', '/auth/token']);

export function authFailureAlerts(deps: GatewayDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status < 400 || c.res.status === 429 || !WATCHED.has(c.req.path)) return;
    const services = deps.services();
    if (!services) return;
    const requestId = c.get('requestId');
    try {
      const { auditLog } = schema;
      // the refusal's own entry names the operator when the assertion identified one
      const [entry] = await services.database.db
        .select({ actorType: auditLog.actorType, actorId: auditLog.actorId })
        .from(auditLog)
        // bounded by time so the at index serves it (request_id has none)
        .where(and(gte(auditLog.at, new Date(Date.now() - 5 * 60_000)), eq(auditLog.requestId, requestId), eq(auditLog.outcome, 'deny')))
        .limit(1);
      if (!entry) return;
      await checkAuthFailures(services.database, { ip: c.get('ip'), operatorId: entry.actorType === 'operator' ? entry.actorId : null, requestId });
    } catch (err) {
      // detection must not change the answer to the caller; the failure is logged without its message
      deps.logger.error({ requestId, err: { name: (err as Error).name } }, 'auth failure detection failed');
    }
  };
}
