// Stewards read and answer the feedback on their department's datasets.
import { createRoute, z } from '@hono/zod-openapi';
import { FEEDBACK_STATUSES, listFeedbackVerb, replyFeedbackSchema, replyFeedbackVerb } from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, pageQuerySchema, problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const feedbackSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  departmentCode: z.string(),
  kind: z.string(),
  status: z.enum(FEEDBACK_STATUSES),
  message: z.string(),
  contact: z.string().nullable(),
  replies: z.array(z.object({ at: z.string(), by: z.string(), message: z.string(), status: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const list = createRoute({
  method: 'get',
  path: '/steward/feedback',
  operationId: 'listFeedback',
  tags: ['steward'],
  summary: "Feedback on the steward's department's datasets, newest first",
  security: bearerSecurity,
  request: { query: pageQuerySchema.extend({ status: z.enum(FEEDBACK_STATUSES).optional() }) },
  responses: {
    200: json(z.object({ items: z.array(feedbackSchema), nextCursor: z.string().nullable() }), 'a page of feedback'),
    ...problemResponses(400, 401, 403),
  },
});

const reply = createRoute({
  method: 'post',
  path: '/steward/feedback/{id}/reply',
  operationId: 'replyFeedback',
  tags: ['steward'],
  summary: 'Reply to feedback and set its status (the reply is public)',
  security: bearerSecurity,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: { required: true, content: { 'application/json': { schema: replyFeedbackSchema } } },
  },
  responses: { 200: json(feedbackSchema, 'replied'), ...problemResponses(400, 401, 403, 404, 422) },
});

export function stewardFeedbackRoutes(app: App, deps: GatewayDeps) {
  app.use('/steward/feedback/*', requireStaff(deps));
  app.openapi(list, async (c) => c.json(await listFeedbackVerb(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(reply, async (c) => c.json(await replyFeedbackVerb(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 200));
}
