// Stewards read and set a dataset's yearly privacy budget (over every licence). Rules live in sandbox/jobs.
import { createRoute, z } from '@hono/zod-openapi';
import { datasetBudgetSchema, getDatasetBudget, setDatasetBudget } from '../../sandbox/jobs/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const budgetSchema = z.object({
  dataset: z.string(),
  year: z.number().int(),
  rhoSpent: z.number(),
  rhoTotal: z.number(),
  epsilonSpent: z.number(),
  epsilonTotal: z.number(),
  delta: z.number(),
  used: z.number(),
  epsilonSet: z.number().nullable(),
  epsilonDefault: z.number(),
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['steward'], security: bearerSecurity };
const params = z.object({ code: z.string().min(1).max(48) });

const routes = {
  get: createRoute({
    ...common,
    method: 'get',
    path: '/steward/datasets/{code}/privacy-budget',
    operationId: 'getDatasetPrivacyBudget',
    summary: "The dataset's privacy budget for a year over every licence: ε and zCDP ρ spent and total",
    request: { params, query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }) },
    responses: { 200: json(budgetSchema, 'the budget'), ...problemResponses(400, 401, 403, 404) },
  }),
  set: createRoute({
    ...common,
    method: 'put',
    path: '/steward/datasets/{code}/privacy-budget',
    operationId: 'putDatasetPrivacyBudget',
    summary: "Set the dataset's ε for a year (every licence and the platform's own releases together), with a reason",
    request: { params, body: { required: true, content: { 'application/json': { schema: datasetBudgetSchema } } } },
    responses: { 200: json(budgetSchema, 'the budget as set'), ...problemResponses(400, 401, 403, 404, 422) },
  }),
};

/** Registered after stewardDatasetRoutes, whose requireStaff guards /steward/datasets/*. */
export function stewardPrivacyBudgetRoutes(app: App, deps: GatewayDeps) {
  app.openapi(routes.get, async (c) => c.json(await getDatasetBudget(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('param').code, c.req.valid('query').year), 200));
  app.openapi(routes.set, async (c) => c.json(await setDatasetBudget(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('param').code, c.req.valid('json')), 200));
}
