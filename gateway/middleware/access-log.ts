// One structured line per request: route, status, duration, request id. No query strings, bodies or headers.
import type { MiddlewareHandler } from 'hono';
import { routePattern } from './route-pattern.ts';
import type { AppEnv } from '../context.ts';
import type { Logger } from '../logger.ts';

export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const actor = c.get('actor');
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        // the route pattern, not the URL: paths may hold identifiers and queries may hold search text
        route: routePattern(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        actor: actor && actor.type !== 'public' && actor.type !== 'system' ? `${actor.type}:${actor.id}` : actor?.type,
      },
      'request',
    );
  };
}
