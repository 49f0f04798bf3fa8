// Data-quality feedback (问题数据可反馈), public side: report, follow, and read a dataset's feedback.
import { createRoute, z } from '@hono/zod-openapi';
import {
  FEEDBACK_STATUSES,
  listDatasetFeedbackVerb,
  showFeedbackVerb,
  submitFeedbackSchema,
  submitFeedbackVerb,
} from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { verbContext } from '../middleware/authenticate.ts';
import { pageQuerySchema, problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const publicFeedbackSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  kind: z.string(),
  status: z.enum(FEEDBACK_STATUSES),
  message: z.string(),
  replies: z.array(z.object({ at: z.string(), message: z.string(), status: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const submit = createRoute({
  method: 'post',
  path: '/open/feedback',
  operationId: 'submitFeedback',
  security: [],
  tags: ['open data'],
  summary: 'Report a problem with a dataset (wrong, missing, stale, format, other)',
  description:
    'No account needed. The message is PUBLIC: it is shown with the dataset and its replies, so put no personal data in it. `contact` is optional and seen only by the stewards of the providing department.',
  request: { body: { required: true, content: { 'application/json': { schema: submitFeedbackSchema } } } },
  responses: { 201: json(z.object({ id: z.string() }), 'recorded'), ...problemResponses(404, 422, 429) },
});

const show = createRoute({
  method: 'get',
  path: '/open/feedback/{id}',
  operationId: 'getFeedback',
  security: [],
  tags: ['open data'],
  summary: 'One feedback item with its status and replies',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: json(publicFeedbackSchema, 'the feedback'), ...problemResponses(404, 429) },
});

const forDataset = createRoute({
  method: 'get',
  path: '/open/datasets/{code}/feedback',
  operationId: 'listDatasetFeedback',
  security: [],
  tags: ['open data'],
  summary: "A dataset's feedback, newest first, with open and resolved counts",
  request: {
    params: z.object({ code: z.string().min(1).max(48) }),
    query: pageQuerySchema.extend({ status: z.enum(FEEDBACK_STATUSES).optional() }),
  },
  responses: {
    200: json(
      z.object({
        counts: z.object({ open: z.number().int(), resolved: z.number().int(), rejected: z.number().int() }),
        items: z.array(publicFeedbackSchema),
        nextCursor: z.string().nullable(),
      }),
      'a page of feedback',
    ),
    ...problemResponses(400, 404, 429),
  },
});

export function openFeedbackRoutes(app: App, deps: GatewayDeps) {
  app.openapi(submit, async (c) => c.json(await submitFeedbackVerb(verbContext(deps, c), c.req.valid('json')), 201));
  app.openapi(show, async (c) => c.json(await showFeedbackVerb(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(forDataset, async (c) =>
    c.json(await listDatasetFeedbackVerb(verbContext(deps, c), c.req.valid('param').code, c.req.valid('query')), 200),
  );
}
