// Operators submit jobs, follow them, fetch released results and see their privacy budget. Rules live in sandbox/jobs.
import { createRoute, z } from '@hono/zod-openapi';
import { getBudget, getJob, getJobResult, listJobs, submitJob, submitJobSchema } from '../../sandbox/jobs/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, pageQuerySchema, problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['operator'], security: bearerSecurity };
const idParam = z.object({ id: z.string().min(1).max(100) });
const jobSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'rejected', 'review']),
  licenseId: z.string(),
  datasets: z.array(z.object({ code: z.string(), fields: z.array(z.string()) })),
  error: z.object({ code: z.string(), reason: z.string() }).optional(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  usage: z.record(z.string(), z.unknown()).nullable(),
  privacy: z.object({ dp: z.boolean(), epsilon: z.number().nullable() }),
  dryRun: z.boolean(),
  waiting: z
    .object({ reason: z.enum(['no-live-worker']), since: z.string() })
    .optional()
    .describe('only on a queued job that has waited a minute or more while no job worker is alive: why it is not running, and since when'),
});
const gauge = z.object({ rhoSpent: z.number(), rhoTotal: z.number(), epsilonSpent: z.number(), epsilonTotal: z.number(), delta: z.number(), used: z.number() });
const budgetItem = z.object({
  licenseId: z.string(),
  dataset: z.string(),
  epsilonTotal: z.number(),
  epsilonPerJob: z.number(),
  epsilonSpent: z.number(),
  epsilonRemaining: z.number(),
  licence: gauge,
  jobsLeftAtDefault: z.number().int(),
  datasetYear: gauge.extend({ year: z.number().int() }),
});

const routes = {
  submit: createRoute({
    ...common,
    method: 'post',
    path: '/operator/jobs',
    operationId: 'submitJob',
    summary: 'Submit a job (checked against the licence, then queued)',
    request: { body: { required: true, content: { 'application/json': { schema: submitJobSchema } } } },
    responses: { 202: json(z.object({ id: z.string(), status: z.literal('queued') }), 'queued'), ...problemResponses(400, 401, 403, 422, 429) },
  }),
  list: createRoute({ ...common, method: 'get', path: '/operator/jobs', operationId: 'listJobs', summary: "The caller's jobs, newest first", request: { query: pageQuerySchema }, responses: { 200: json(z.object({ items: z.array(jobSchema), nextCursor: z.string().nullable() }), 'a page'), ...problemResponses(400, 401, 403) } }),
  show: createRoute({ ...common, method: 'get', path: '/operator/jobs/{id}', operationId: 'getJob', summary: 'One job', request: { params: idParam }, responses: { 200: json(jobSchema, 'the job'), ...problemResponses(401, 403, 404) } }),
  result: createRoute({
    ...common,
    method: 'get',
    path: '/operator/jobs/{id}/result',
    operationId: 'getJobResult',
    summary: 'The released result (404 until released); a dry run\'s unchecked result is marked dryRun: true, checked: false',
    request: { params: idParam },
    responses: { 200: json(z.object({ jobId: z.string(), dryRun: z.boolean(), checked: z.boolean(), result: z.unknown(), record: z.unknown(), releasedAt: z.string() }), 'the released result'), ...problemResponses(401, 403, 404) },
  }),
  budget: createRoute({
    ...common,
    method: 'get',
    path: '/operator/budget',
    operationId: 'getPrivacyBudget',
    summary: 'Privacy budget per licence and dataset: ε (at δ = 1e-8) and zCDP ρ spent and total, jobs left at the default ε, and the dataset\'s budget for the year over every licence',
    responses: {
      200: json(z.object({ items: z.array(budgetItem) }), 'budget'),
      ...problemResponses(401, 403),
    },
  }),
};

/** Registered after operatorDatasetRoutes, whose requireOperator guards every /operator/* route. */
export function operatorJobRoutes(app: App, deps: GatewayDeps) {
  app.openapi(routes.submit, async (c) => {
    const queued = await submitJob(verbContext(deps, c), c.req.valid('json'), servicesOf(deps).policies);
    servicesOf(deps).jobQueued?.();
    return c.json(queued, 202);
  });
  app.openapi(routes.list, async (c) => c.json(await listJobs(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(routes.show, async (c) => c.json(await getJob(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.result, async (c) => c.json(await getJobResult(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.budget, async (c) => c.json({ items: await getBudget(verbContext(deps, c), servicesOf(deps).policies) }, 200));
}
