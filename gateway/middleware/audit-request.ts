// Every request to a protected route leaves an audit entry (who, what route, outcome) before its response leaves.
import type { MiddlewareHandler } from 'hono';
import type { AuditEvent, AuditOutcome } from '../../store/index.ts';
import { routePattern } from './route-pattern.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';

function outcomeOf(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'deny';
  if (status >= 400) return 'error';
  return 'ok';
}

export function auditRequest(deps: GatewayDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const trail: AuditEvent[] = [];
    c.set('auditTrail', trail);
    try {
      await next();
    } finally {
      const services = deps.services();
      if (services) {
        const actor = c.get('actor');
        // appended together (one group commit) and awaited: the response must not leave before its entries are
        // durable (fail closed on an audit failure)
        await Promise.all([...trail.map((event) => services.audit.append(event)), services.audit.append({
          actor: { type: actor.type, id: actor.type === 'public' ? null : actor.id },
          action: 'http.request',
          resource: `${c.req.method} ${routePattern(c)}`,
          outcome: outcomeOf(c.res.status),
          ip: c.get('ip'),
          requestId: c.get('requestId'),
          details: { status: c.res.status },
        })]);
      }
    }
  };
}
