// Stewards review job outputs the platform cannot check, and approve or reject them. Rules live in sandbox/reviews.
import { createRoute, z } from '@hono/zod-openapi';
import { decideReview, listReviews, reviewDecisionSchema } from '../../sandbox/reviews/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const reviewSchema = z.object({
  jobId: z.string(),
  operatorId: z.string(),
  licenseId: z.string(),
  datasets: z.array(z.object({ code: z.string(), fields: z.array(z.string()) })),
  departments: z.array(z.string()),
  codeSha256: z.string(),
  code: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  usage: z.record(z.string(), z.unknown()).nullable(),
  record: z.unknown(),
  output: z.unknown(),
  dp: z.boolean(),
  justification: z.string().nullable(),
  approvals: z.array(z.object({ stewardId: z.string(), decidedAt: z.string() })),
  approvalsNeeded: z.number().int(),
});
const decisionSchema = z.object({
  jobId: z.string(),
  status: z.enum(['succeeded', 'rejected', 'review']),
  decision: z.enum(['approved', 'rejected']),
  reviewedBy: z.string(),
  reviewedAt: z.string(),
  approvals: z.number().int(),
  approvalsNeeded: z.number().int(),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['steward'], security: bearerSecurity };

const routes = {
  list: createRoute({
    ...common,
    method: 'get',
    path: '/steward/reviews',
    operationId: 'listReviews',
    summary: "Jobs awaiting human review that the caller may review, with the automatic checks' report and the output",
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
    responses: { 200: json(z.object({ items: z.array(reviewSchema) }), 'the queue, oldest first'), ...problemResponses(400, 401, 403) },
  }),
  decide: createRoute({
    ...common,
    method: 'post',
    path: '/steward/reviews/{jobId}/decision',
    operationId: 'decideReview',
    summary: 'Approve or reject a job in review: a release without DP needs two stewards\' approvals (status stays review after the first), one rejection ends it',
    request: { params: z.object({ jobId: z.string().min(1).max(100) }), body: { required: true, content: { 'application/json': { schema: reviewDecisionSchema } } } },
    responses: { 200: json(decisionSchema, 'decided'), ...problemResponses(400, 401, 403, 404, 409, 422) },
  }),
};

export function stewardReviewRoutes(app: App, deps: GatewayDeps) {
  // '/x/*' also matches '/x' itself; Cedar (ReviewJob) decides per job in the verbs
  app.use('/steward/reviews/*', requireStaff(deps));
  app.openapi(routes.list, async (c) => c.json(await listReviews(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(routes.decide, async (c) => c.json(await decideReview(verbContext(deps, c), c.req.valid('param').jobId, c.req.valid('json')), 200));
}
