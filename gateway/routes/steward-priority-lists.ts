// Stewards draft and publish their department's annual priority list, read lists, and read demand signals.
import { createRoute, z } from '@hono/zod-openapi';
import {
  demandSignalsVerb,
  listPriorityListsVerb,
  priorityDraftSchema,
  publishPriorityListVerb,
  savePriorityDraftVerb,
  showPriorityListVerb,
} from '../../catalog-open/index.ts';
import { AppError } from '../../errors/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { json, presentedItemSchema, storedItemSchema, yearParam } from './priority-list-schemas.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const listParams = z.object({
  year: yearParam.openapi({ param: { name: 'year', in: 'path' }, example: 2026 }),
  department: z.string().min(1).max(64).openapi({ param: { name: 'department', in: 'path' }, description: 'department code' }),
});

const draftSchema = z.object({
  year: z.number().int(),
  departmentCode: z.string(),
  department: z.string(),
  items: z.array(storedItemSchema),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
const publishedSchema = z.object({
  year: z.number().int(),
  departmentCode: z.string(),
  department: z.string(),
  version: z.number().int(),
  items: z.number().int(),
  changeNote: z.string().nullable(),
  publishedBy: z.string(),
  publishedAt: z.string(),
});
const summarySchema = z.object({
  year: z.number().int(),
  departmentCode: z.string(),
  department: z.string(),
  draft: z.object({ items: z.number().int(), updatedBy: z.string(), updatedAt: z.string() }).nullable(),
  latestVersion: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
});
const signalSchema = z.object({
  datasetCode: z.string(),
  name: z.string(),
  department: z.string(),
  departmentCode: z.string(),
  openType: z.string(),
  loaded: z.boolean(),
  listed: z.boolean(),
  applications: z.object({ approved: z.number().int(), rejected: z.number().int(), pending: z.number().int() }),
  jobs: z.object({ total: z.number().int(), operators: z.number().int(), fields: z.array(z.object({ field: z.string(), jobs: z.number().int() })) }),
  downloads: z.number().int(),
  feedback: z.object({ total: z.number().int(), open: z.number().int() }),
  score: z.number(),
});
const detailSchema = z.object({
  year: z.number().int(),
  departmentCode: z.string(),
  department: z.string(),
  draft: z.object({ items: z.array(presentedItemSchema), updatedBy: z.string(), updatedAt: z.string() }).nullable(),
  versions: z.array(
    z.object({ version: z.number().int(), changeNote: z.string().nullable(), publishedBy: z.string(), publishedAt: z.string(), items: z.array(presentedItemSchema) }),
  ),
});

const list = createRoute({
  method: 'get',
  path: '/steward/priority-lists',
  operationId: 'listPriorityLists',
  tags: ['steward'],
  summary: 'Every priority list with its draft and latest published version',
  security: bearerSecurity,
  request: { query: z.object({ year: yearParam.optional() }) },
  responses: { 200: json(z.object({ items: z.array(summarySchema) }), 'the lists'), ...problemResponses(400, 401, 403) },
});
const demand = createRoute({
  method: 'get',
  path: '/steward/priority-lists/demand',
  operationId: 'getDemandSignals',
  tags: ['steward'],
  summary: 'Demand signals per dataset (applications, jobs and fields, downloads, feedback) and the most demanded, not yet open',
  description:
    'score = 3 × applications (any outcome) + 2 × operator jobs + 1 × feedback items + log2(1 + downloads). "Not yet open": open attribute not_open, or in no year\'s latest published list.',
  security: bearerSecurity,
  request: { query: z.object({ department: z.string().min(1).max(64).optional().openapi({ description: 'department code' }) }) },
  responses: {
    200: json(z.object({ items: z.array(signalSchema), mostDemandedNotOpen: z.array(signalSchema) }), 'demand signals'),
    ...problemResponses(400, 401, 403),
  },
});
const show = createRoute({
  method: 'get',
  path: '/steward/priority-lists/{year}/{department}',
  operationId: 'getPriorityList',
  tags: ['steward'],
  summary: "One department's list of a year: the draft and every published version, items with computed status",
  security: bearerSecurity,
  request: { params: listParams },
  responses: { 200: json(detailSchema, 'the list'), ...problemResponses(400, 401, 403, 404) },
});
const saveDraft = createRoute({
  method: 'put',
  path: '/steward/priority-lists/{year}/{department}',
  operationId: 'savePriorityListDraft',
  tags: ['steward'],
  summary: "Replace the department's draft list for the year",
  description:
    '`seq` on every item or on none; the items are ordered by it and renumbered 1..n. A `datasetCode`, when given, must be a registered dataset. Only a steward of the department may.',
  security: bearerSecurity,
  request: { params: listParams, body: { required: true, content: { 'application/json': { schema: priorityDraftSchema } } } },
  responses: { 200: json(draftSchema, 'the saved draft'), ...problemResponses(400, 401, 403, 404, 422) },
});
const publish = createRoute({
  method: 'post',
  path: '/steward/priority-lists/{year}/{department}/publish',
  operationId: 'publishPriorityList',
  tags: ['steward'],
  summary: 'Publish the draft as the next immutable version (a correction needs a change note)',
  description: 'Body (optional for version 1): `{"changeNote": "..."}`, required from version 2 on.',
  security: bearerSecurity,
  request: { params: listParams },
  responses: { 201: json(publishedSchema, 'published'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});

export function stewardPriorityListRoutes(app: App, deps: GatewayDeps) {
  app.use('/steward/priority-lists/*', requireStaff(deps));
  const ctx = (c: Parameters<typeof verbContext>[1]) => verbContext(deps, c);

  app.openapi(list, async (c) => c.json(await listPriorityListsVerb(ctx(c), { year: c.req.valid('query').year }), 200));
  app.openapi(demand, async (c) => c.json(await demandSignalsVerb(ctx(c), { departmentCode: c.req.valid('query').department }), 200));
  app.openapi(show, async (c) => {
    const { year, department } = c.req.valid('param');
    return c.json(await showPriorityListVerb(ctx(c), { year, departmentCode: department }), 200);
  });
  app.openapi(saveDraft, async (c) => {
    const { year, department } = c.req.valid('param');
    return c.json(await savePriorityDraftVerb(ctx(c), { year, departmentCode: department, body: c.req.valid('json') }), 200);
  });
  app.openapi(publish, async (c) => {
    const { year, department } = c.req.valid('param');
    // the body is optional (a first publication needs no change note), so it is read here rather than by the route
    const text = await c.req.text();
    let body: unknown = {};
    try {
      if (text.trim() !== '') body = JSON.parse(text);
    } catch {
      throw new AppError('BAD_REQUEST', 'the body is not JSON');
    }
    return c.json(await publishPriorityListVerb(ctx(c), { year, departmentCode: department, body }), 201);
  });
}
