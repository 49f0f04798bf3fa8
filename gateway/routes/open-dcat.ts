// GET /open/catalog.jsonld: the public catalog as DCAT-AP 3 JSON-LD, paged with Hydra (no token).
import { createRoute, z } from '@hono/zod-openapi';
import { DCAT_PAGE_SIZE_DEFAULT, DCAT_PAGE_SIZE_MAX, dcatCatalogPage, PORTAL } from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { problemResponses } from './shared.ts';

const catalog = createRoute({
  method: 'get',
  path: '/open/catalog.jsonld',
  operationId: 'getDcatCatalog',
  security: [],
  tags: ['open data'],
  summary: 'DCAT-AP 3.0.1 catalog (JSON-LD) of the unconditional and conditional datasets, paged with Hydra',
  description:
    'Conforms to the official DCAT-AP 3.0.1 SHACL shapes. Open attribute → dct:accessRights (EU access-right PUBLIC / ' +
    'RESTRICTED), update cycle → dct:accrualPeriodicity (EU frequency). `hydra:view` links first / previous / next / last pages.',
  request: {
    query: z.object({
      page: z.coerce.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(DCAT_PAGE_SIZE_MAX).default(DCAT_PAGE_SIZE_DEFAULT),
    }),
  },
  responses: {
    200: { description: 'one page of the catalog', content: { 'application/ld+json': { schema: z.object({}).passthrough() } } },
    ...problemResponses(400, 429),
  },
});

export function openDcatRoutes(app: App, deps: GatewayDeps) {
  app.openapi(catalog, async (c) => {
    const { database, policies } = servicesOf(deps);
    const doc = await dcatCatalogPage(database, policies, { base: deps.config.publicUrl, ...PORTAL }, c.req.valid('query'));
    // JSON-LD has its own media type; the typed c.json would label it application/json
    return c.body(JSON.stringify(doc), 200, { 'content-type': 'application/ld+json; charset=utf-8' }) as never;
  });
}
