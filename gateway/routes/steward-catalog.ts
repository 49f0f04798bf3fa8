// Stewards publish the catalog metadata (政务数据资源目录) of their department's datasets.
import { createRoute, z } from '@hono/zod-openapi';
import { catalogEntryInputSchema, upsertCatalogEntry } from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { catalogEntrySchema } from './open-catalog.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const result = z.object({ created: z.boolean(), entry: catalogEntrySchema.nullable() });

const put = createRoute({
  method: 'put',
  path: '/steward/datasets/{code}/catalog',
  operationId: 'putCatalogEntry',
  tags: ['steward'],
  summary: "Create or replace a dataset's catalog metadata (resource code, classification, theme, keywords, …)",
  description: 'The whole entry is replaced. `entry` is the public view, null while the dataset is not open.',
  security: bearerSecurity,
  request: {
    params: z.object({ code: z.string().min(1).max(48) }),
    body: { required: true, content: { 'application/json': { schema: catalogEntryInputSchema } } },
  },
  responses: {
    200: json(result, 'replaced'),
    201: json(result, 'created'),
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

export function stewardCatalogRoutes(app: App, deps: GatewayDeps) {
  // guarded by requireStaff through stewardDatasetRoutes' '/steward/datasets/*' (a second guard would count twice
  // against the principal's rate limit); the verb asks Cedar in any case
  app.openapi(put, async (c) => {
    const outcome = await upsertCatalogEntry(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('param').code, c.req.valid('json'));
    return outcome.created ? c.json(outcome, 201) : c.json(outcome, 200);
  });
}
