// A listener of its own for /metrics (METRICS_PORT): scraped on a port the public never reaches, no token needed.
// Plain node:http, so a worker (which has no HTTP app) serves it the same way as a gateway.
import { createServer, type Server } from 'node:http';
import { metricsText } from './metrics.ts';

/** Serves GET /metrics and GET /healthz (liveness of a worker); everything else is 404. Resolves once listening. */
export async function serveMetrics(listener: { port: number; host: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      metricsText().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listener.port, listener.host, () => resolve());
  });
  return server;
}
