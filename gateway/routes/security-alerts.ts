// Security staff see high-risk alerts (高危操作告警) and acknowledge or resolve them. Rules live in sandbox/alerts.
import { createRoute, z } from '@hono/zod-openapi';
import { ackAlert, ackAlertSchema, ALERT_KINDS, ALERT_SEVERITIES, ALERT_STATUSES, alertQuerySchema, listAlerts } from '../../sandbox/alerts/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  operatorId: z.string().nullable(),
  jobId: z.string().nullable(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  suspendedOperator: z.string().nullable(),
  notes: z.array(z.object({ at: z.string(), by: z.string(), note: z.string(), status: z.enum(ALERT_STATUSES) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['security'], security: bearerSecurity };

const routes = {
  list: createRoute({
    ...common,
    method: 'get',
    path: '/security/alerts',
    operationId: 'listAlerts',
    summary: 'High-risk alerts, newest first, filtered by status, kind, severity, operator',
    request: { query: alertQuerySchema },
    responses: { 200: json(z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() }), 'a page'), ...problemResponses(400, 401, 403) },
  }),
  ack: createRoute({
    ...common,
    method: 'post',
    path: '/security/alerts/{id}/ack',
    operationId: 'acknowledgeAlert',
    summary: 'Acknowledge or resolve an alert with a note; optionally suspend its operator',
    request: { params: z.object({ id: z.string().min(1).max(100) }), body: { required: true, content: { 'application/json': { schema: ackAlertSchema } } } },
    responses: { 200: json(alertSchema, 'the alert'), ...problemResponses(400, 401, 403, 404, 409, 422) },
  }),
};

export function securityAlertRoutes(app: App, deps: GatewayDeps) {
  // '/x/*' also matches '/x' itself; Cedar (ManageAlerts) decides in each verb
  app.use('/security/alerts/*', requireStaff(deps));
  app.openapi(routes.list, async (c) => c.json(await listAlerts(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(routes.ack, async (c) => c.json(await ackAlert(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 200));
}
