// Stewards decide the conditional-open applications for their department's datasets.
import { createRoute, z } from '@hono/zod-openapi';
import { APPLICATION_STATUSES, decideApplicationVerb, decisionSchema, listApplicationsVerb } from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, pageQuerySchema, problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const applicationSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  fields: z.array(z.string()),
  departmentCode: z.string(),
  applicant: z.object({
    type: z.enum(['person', 'organization']),
    name: z.string(),
    uscc: z.string().optional(),
    contact: z.object({ email: z.string(), phone: z.string().optional() }),
  }),
  purpose: z.string(),
  durationDays: z.number().int(),
  access: z.enum(['download', 'sandbox']),
  commitmentAcceptedAt: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  licenseId: z.string().nullable(),
  createdAt: z.string(),
});

const list = createRoute({
  method: 'get',
  path: '/steward/applications',
  operationId: 'listApplications',
  tags: ['steward'],
  summary: "Applications for the steward's department's datasets, newest first",
  security: bearerSecurity,
  request: { query: pageQuerySchema.extend({ status: z.enum(APPLICATION_STATUSES).optional() }) },
  responses: {
    200: json(z.object({ items: z.array(applicationSchema), nextCursor: z.string().nullable() }), 'a page of applications'),
    ...problemResponses(400, 401, 403),
  },
});

const decide = createRoute({
  method: 'post',
  path: '/steward/applications/{id}/decision',
  operationId: 'decideApplication',
  tags: ['steward'],
  summary: 'Approve or refuse an application, with a reason (once)',
  description:
    'Approval sets expiresAt = now + durationDays. For sandbox access it also grants the applicant organization\'s operator a licence for the approved fields (operations: aggregate); 422 when the organization is not an active operator on the whitelist.',
  security: bearerSecurity,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: { required: true, content: { 'application/json': { schema: decisionSchema } } },
  },
  responses: { 200: json(applicationSchema, 'decided'), ...problemResponses(400, 401, 403, 404, 409, 422) },
});

export function stewardApplicationRoutes(app: App, deps: GatewayDeps) {
  // '/x/*' also matches '/x' itself
  app.use('/steward/applications/*', requireStaff(deps));
  app.openapi(list, async (c) => c.json(await listApplicationsVerb(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(decide, async (c) =>
    c.json(await decideApplicationVerb(verbContext(deps, c), servicesOf(deps).policies, c.req.valid('param').id, c.req.valid('json')), 200),
  );
}
