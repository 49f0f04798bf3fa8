// GET /metrics (Prometheus text format) on the main port, only for a caller holding METRICS_TOKEN. Without a token it is
// not served here at all (404): set METRICS_PORT to scrape a listener of its own instead (telemetry/serve-metrics.ts).
import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors/index.ts';
import { metricsText, observePlatform, observePool } from '../../telemetry/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { readPlatformFigures } from '../telemetry/platform-figures.ts';

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['health'],
  summary: 'Prometheus metrics of this gateway process (bearer METRICS_TOKEN; 404 unless configured)',
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
    401: { description: 'no or wrong metrics token' },
    404: { description: 'metrics are not served on this port' },
  },
});

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoutes(app: App, deps: GatewayDeps) {
  // the process's gauges read this gateway's database (the last app created in a process wins: one per server)
  observePool(() => deps.services()?.database.poolStats());
  observePlatform(async () => {
    const services = deps.services();
    return services ? readPlatformFigures(services.database.db) : undefined;
  });
  app.openapi(metrics, async (c) => {
    const expected = deps.config.telemetry.metricsToken;
    if (!expected || deps.config.telemetry.metricsListener) throw new AppError('NOT_FOUND', 'no such route');
    const given = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!given || !sameToken(given, expected)) throw new AppError('UNAUTHENTICATED', 'a valid metrics token is required');
    const { contentType, body } = await metricsText();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' }) as never;
  });
}
