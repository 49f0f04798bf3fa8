// Operators see what their licences grant.
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireOperator, servicesOf, verbContext } from '../middleware/authenticate.ts';
import { listLicensedDatasets } from '../whitelist/licensed-datasets.ts';
import { getDatasetSample, MAX_SAMPLE_ROWS } from '../../sandbox/synthetic/index.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const datasets = createRoute({
  method: 'get',
  path: '/operator/datasets',
  operationId: 'listLicensedDatasets',
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

const sample = createRoute({
  method: 'get',
  path: '/operator/datasets/{code}/sample',
  operationId: 'getDatasetSample',
  tags: ['operator'],
  summary: 'Synthetic rows of the licensed fields, masked exactly as a job sees them (never a real value)',
  security: bearerSecurity,
  request: {
    params: z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/) }),
    query: z.object({
      rows: z.coerce.number().int().min(1).max(MAX_SAMPLE_ROWS).default(20),
      licenseId: z.string().min(1).max(100).optional(),
    }),
  },
  responses: {
    200: {
      description: 'a synthetic sample',
      content: {
        'application/json': {
          schema: z.object({
            dataset: z.string(),
            licenseId: z.string(),
            synthetic: z.literal(true),
            fields: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), keeps: z.string() })),
            rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
          }),
        },
      },
    },
    ...problemResponses(400, 401, 403),
  },
});

export function operatorDatasetRoutes(app: App, deps: GatewayDeps) {
  app.use('/operator/*', requireOperator(deps));
  app.openapi(datasets, async (c) => c.json({ items: await listLicensedDatasets(verbContext(deps, c), servicesOf(deps).policies) }, 200));
  app.openapi(sample, async (c) => c.json(await getDatasetSample(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('param').code, c.req.valid('query')), 200));
}
