// Conditional-open applications (有条件开放申请), public side: submit, then follow with the status token.
import { createRoute, z } from '@hono/zod-openapi';
import { showApplicationVerb, submitApplicationSchema, submitApplicationVerb } from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const nextStepSchema = z
  .object({
    action: z.enum(['wait', 'download', 'sandbox', 'none']),
    message: z.string(),
    url: z.string().optional(),
    method: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    formats: z.array(z.string()).optional(),
    licenseId: z.string().optional(),
  })
  .describe('what the applicant does next');

const statusSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  fields: z.array(z.string()),
  access: z.enum(['download', 'sandbox']),
  status: z.enum(['pending', 'approved', 'rejected']),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  licenseId: z.string().nullable(),
  next: nextStepSchema,
});

const submit = createRoute({
  method: 'post',
  path: '/open/applications',
  operationId: 'submitApplication',
  security: [],
  tags: ['open data'],
  summary: 'Apply for a conditionally open dataset (one dataset per application)',
  description:
    'No account needed. `access: "sandbox"` asks for a sandbox licence instead of a download; it is forced when the dataset is graded important or a requested field holds sensitive personal information. The `statusToken` is shown once: keep it.',
  request: { body: { required: true, content: { 'application/json': { schema: submitApplicationSchema } } } },
  responses: {
    201: json(z.object({ id: z.string(), statusToken: z.string() }), 'submitted; follow it with GET /open/applications/{id} and X-Status-Token'),
    ...problemResponses(400, 404, 422, 429),
  },
});

const show = createRoute({
  method: 'get',
  path: '/open/applications/{id}',
  operationId: 'getApplicationStatus',
  security: [],
  tags: ['open data'],
  summary: "An application's status, decision and next step (header X-Status-Token)",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: json(statusSchema, 'the application'), ...problemResponses(404, 429) },
});

export function openApplicationRoutes(app: App, deps: GatewayDeps) {
  // the IP rate limit of every route applies (app.ts); no token is needed to apply
  app.openapi(submit, async (c) => c.json(await submitApplicationVerb(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('json')), 201));
  // the token is read here, not declared as a required header: a missing token must look like a wrong one (404)
  app.openapi(show, async (c) => c.json(await showApplicationVerb(verbContext(deps, c), c.req.valid('param').id, c.req.header('x-status-token')), 200));
}
