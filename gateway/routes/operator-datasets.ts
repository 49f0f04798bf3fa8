// Operators see what their licences grant.
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireOperator, servicesOf, verbContext } from '../middleware/authenticate.ts';
import { listLicensedDatasets } from '../whitelist/licensed-datasets.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const datasets = createRoute({
  method: 'get',
  path: '/operator/datasets',
  tags: ['operator'],
  summary: "The datasets and fields the operator's live licences grant",
  security: bearerSecurity,
  responses: {
    200: {
      description: 'granted datasets',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(
              z.object({
                licenseId: z.string(),
                code: z.string(),
                name: z.string(),
                operations: z.array(z.string()),
                fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string(), nullable: z.boolean(), keeps: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    ...problemResponses(401, 403),
  },
});

export function operatorDatasetRoutes(app: App, deps: GatewayDeps) {
  app.use('/operator/*', requireOperator(deps));
  app.openapi(datasets, async (c) => c.json({ items: await listLicensedDatasets(verbContext(deps, c), servicesOf(deps).policies) }, 200));
}
