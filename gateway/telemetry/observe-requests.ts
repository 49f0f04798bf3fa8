// Each request: a server span continuing the caller's W3C trace context (traceparent out on the response), and the
// request metrics by route pattern. Runs first after the request id, so every later middleware is inside the span.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { httpDuration, httpInFlight, httpRequests, startServerSpan, traceparentOf, withActiveSpan, failSpan } from '../../telemetry/index.ts';
import type { AppEnv } from '../context.ts';

export function observeRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const started = performance.now();
    // named by method until the route is known: the URL itself may hold identifiers or search text
    const span = startServerSpan(`HTTP ${method}`, c.req.raw.headers, { 'http.request.method': method, 'request.id': c.get('requestId') });
    // the caller can join its own trace to ours (W3C trace context, echoed with this hop's span id)
    const traceparent = traceparentOf(span);
    if (traceparent) c.header('traceparent', traceparent);
    httpInFlight.inc();
    try {
      await withActiveSpan(span, next);
    } finally {
      httpInFlight.dec();
      // the route pattern, never the path: /operator/jobs/:id, not the job's id
      const route = routePath(c);
      const status = c.res.status;
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) failSpan(span, { code: `HTTP_${status}` });
      span.end();
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
    }
  };
}
