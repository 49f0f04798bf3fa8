// OpenAPI 3.1 generated from the route definitions, and Swagger UI served from the installed package (no CDN).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const DOCS_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API 参考 · Government Data Platform</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;
// kept out of the page so the Content-Security-Policy can forbid inline script
const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });`;

export function docsRoutes(app: App, deps: GatewayDeps) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Government Data Platform API',
      version: '0.1.0',
      description: 'Usable but invisible (可用不可见): open data, licensed sandbox analysis, and the staff who guard them.',
      // what the API hands out is open data, CC-BY-4.0 unless a dataset's catalog entry names another licence
      license: { name: 'Open data under CC BY 4.0 unless a dataset names another licence', url: 'https://creativecommons.org/licenses/by/4.0/' },
    },
    servers: [{ url: deps.config.publicUrl }],
  });

  const csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";
  app.get('/docs', (c) => c.html(DOCS_HTML, 200, { 'Content-Security-Policy': csp }));
  app.get('/docs/assets/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const type = ASSETS[name];
    if (!type) return c.notFound();
    return c.body(await readFile(join(swaggerDir, name)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
