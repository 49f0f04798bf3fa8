// Liveness, readiness and the public signing keys.
import { createRoute, z } from '@hono/zod-openapi';
import { migrationsApplied } from '../../store/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { problemResponses } from './shared.ts';

/** Every route, these too, sits behind the per-IP rate limit. */
const limited = problemResponses(429);

const status = z.object({ status: z.string() });

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  security: [],
  tags: ['health'],
  summary: 'Liveness: 200 while the process runs',
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: status } } }, ...limited },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  security: [],
  tags: ['health'],
  summary: 'Readiness: 200 when the database answers and migrations are applied',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: status } } },
    503: { description: 'not ready', content: { 'application/json': { schema: status } } },
    ...limited,
  },
});

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'getJwks',
  security: [],
  tags: ['health'],
  summary: "The gateway's public token signing keys (JWKS)",
  responses: {
    200: { description: 'JWKS', content: { 'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } } },
    503: { description: 'not ready' },
    ...limited,
  },
});

export function healthRoutes(app: App, deps: GatewayDeps) {
  app.openapi(healthz, (c) => c.json({ status: 'ok' }, 200));

  app.openapi(readyz, async (c) => {
    const services = deps.services();
    try {
      if (services && (await migrationsApplied(services.database))) return c.json({ status: 'ready' }, 200);
    } catch {
      // the database stopped answering; say so without details
    }
    c.header('Retry-After', '5');
    return c.json({ status: 'not ready' }, 503);
  });

  app.openapi(jwks, async (c) => {
    const services = deps.services();
    if (!services) return c.json({ status: 'not ready' }, 503) as never;
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await services.keys.jwks(), 200);
  });
}
