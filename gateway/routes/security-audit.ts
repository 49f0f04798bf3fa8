// Security staff read, verify, checkpoint and export the audit log. Handlers validate, call the store, answer.
import { createRoute, z } from '@hono/zod-openapi';
import {
  auditCheckpointSchema,
  auditQuerySchema,
  createCheckpoint,
  latestCheckpoint,
  listAudit,
  verifyAudit,
} from '../../store/index.ts';
import type { App } from '../app.ts';
import { auditExportResponse } from '../audit-export.ts';
import type { GatewayDeps } from '../context.ts';
import { AUDIT_LOG_RESOURCE } from '../../policies/index.ts';
import { authorizeRoute, requireStaff, servicesOf } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const entrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  resource: z.string().nullable(),
  outcome: z.enum(['allow', 'deny', 'error', 'ok']),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
const verificationSchema = z.object({
  valid: z.boolean(),
  entries: z.number().int(),
  firstInvalidSeq: z.number().int().nullable(),
  checkpoint: z.record(z.string(), z.unknown()).nullable(),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['security'], security: bearerSecurity };
const listQuery = auditQuerySchema.omit({ format: true });
const exportQuery = auditQuerySchema.omit({ limit: true, cursor: true });

const routes = {
  list: createRoute({ ...common, method: 'get', path: '/security/audit', operationId: 'listAuditEntries', summary: 'Audit entries, newest first, filtered', request: { query: listQuery }, responses: { 200: json(z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }), 'a page'), ...problemResponses(400, 401, 403) } }),
  verify: createRoute({ ...common, method: 'get', path: '/security/audit/verify', operationId: 'verifyAuditLog', summary: 'Recompute the hash chain and check it against the latest signed checkpoint', responses: { 200: json(verificationSchema, 'the verification'), ...problemResponses(401, 403) } }),
  verifyAgainst: createRoute({ ...common, method: 'post', path: '/security/audit/verify', operationId: 'verifyAuditLogAgainstCheckpoint', summary: 'Verify against a checkpoint exported earlier (detects truncation)', request: { body: { required: true, content: { 'application/json': { schema: auditCheckpointSchema } } } }, responses: { 200: json(verificationSchema, 'the verification'), ...problemResponses(400, 401, 403, 422) } }),
  checkpoint: createRoute({ ...common, method: 'post', path: '/security/audit/checkpoints', operationId: 'signAuditCheckpoint', summary: 'Sign a checkpoint of the log now (SM2); keep the answer outside the platform', responses: { 201: json(auditCheckpointSchema, 'the signed checkpoint'), ...problemResponses(401, 403) } }),
  latest: createRoute({ ...common, method: 'get', path: '/security/audit/checkpoints/latest', operationId: 'getLatestAuditCheckpoint', summary: 'The latest signed checkpoint', responses: { 200: json(auditCheckpointSchema.nullable(), 'the checkpoint, or null'), ...problemResponses(401, 403) } }),
  export: createRoute({ ...common, method: 'get', path: '/security/audit/export', operationId: 'exportAuditLog', summary: 'Stream the filtered log as JSONL or CSV', request: { query: exportQuery }, responses: { 200: { description: 'the entries', content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } } }, ...problemResponses(400, 401, 403) } }),
};

export function securityAuditRoutes(app: App, deps: GatewayDeps) {
  // '/x/*' also matches '/x' itself
  app.use('/security/audit/*', requireStaff(deps), authorizeRoute(deps, { action: 'ReadAudit', resource: AUDIT_LOG_RESOURCE }));

  app.openapi(routes.list, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    return c.json(await listAudit(servicesOf(deps).database.db, filters, { limit, cursor }), 200);
  });
  app.openapi(routes.verify, async (c) => {
    const { database, checkpointKey } = servicesOf(deps);
    const key = await checkpointKey();
    return c.json(await verifyAudit(database, { trustedPublicKey: key.publicKey }), 200);
  });
  app.openapi(routes.verifyAgainst, async (c) => {
    const { database, checkpointKey } = servicesOf(deps);
    const key = await checkpointKey();
    return c.json(await verifyAudit(database, { checkpoint: c.req.valid('json'), trustedPublicKey: key.publicKey }), 200);
  });
  app.openapi(routes.checkpoint, async (c) => {
    const { database, checkpointKey } = servicesOf(deps);
    return c.json(await createCheckpoint(database, await checkpointKey()), 201);
  });
  app.openapi(routes.latest, async (c) => c.json(await latestCheckpoint(servicesOf(deps).database.db), 200));
  app.openapi(routes.export, (c) => {
    const { format, ...filters } = c.req.valid('query');
    return auditExportResponse(c, servicesOf(deps).database.db, filters, format) as never;
  });
}
