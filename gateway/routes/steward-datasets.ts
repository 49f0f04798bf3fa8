// Stewards register, describe and load datasets. Handlers validate, call a verb, and answer; nothing else.
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors/index.ts';
import {
  describeDatasetVerb,
  listDatasetsVerb,
  loadDatasetVerb,
  registerDatasetVerb,
  showDatasetVerb,
} from '../../catalog-open/index.ts';
import { datasetDefinitionSchema, datasetPatchSchema, type LoadFormat } from '../../store/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, pageQuerySchema, problemResponses } from './shared.ts';

const versionSchema = z.object({
  version: z.number().int(),
  rowCount: z.number().int(),
  byteCount: z.number().int(),
  checksum: z.string(),
  format: z.string(),
  loadedBy: z.string(),
  loadedAt: z.string(),
});
const datasetSchema = datasetDefinitionSchema.extend({
  currentVersion: versionSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const codeParam = z.object({ code: z.string().min(1).max(48) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const list = createRoute({
  method: 'get',
  path: '/steward/datasets',
  operationId: 'listDatasets',
  tags: ['steward'],
  summary: 'Every registered dataset with its fields and current version',
  security: bearerSecurity,
  request: { query: pageQuerySchema },
  responses: {
    200: json(z.object({ items: z.array(datasetSchema), nextCursor: z.string().nullable() }), 'a page of datasets'),
    ...problemResponses(400, 401, 403),
  },
});
const show = createRoute({
  method: 'get',
  path: '/steward/datasets/{code}',
  operationId: 'getDataset',
  tags: ['steward'],
  summary: 'One dataset',
  security: bearerSecurity,
  request: { params: codeParam },
  responses: { 200: json(datasetSchema, 'the dataset'), ...problemResponses(401, 403, 404) },
});
const register = createRoute({
  method: 'post',
  path: '/steward/datasets',
  operationId: 'registerDataset',
  tags: ['steward'],
  summary: 'Register a dataset',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: datasetDefinitionSchema } } } },
  responses: { 201: json(datasetSchema, 'registered'), ...problemResponses(400, 401, 403, 409, 422) },
});
const describe = createRoute({
  method: 'patch',
  path: '/steward/datasets/{code}',
  operationId: 'updateDataset',
  tags: ['steward'],
  summary: "Change a dataset's description or fields (fields apply from the next load)",
  security: bearerSecurity,
  request: { params: codeParam, body: { required: true, content: { 'application/json': { schema: datasetPatchSchema } } } },
  responses: { 200: json(datasetSchema, 'updated'), ...problemResponses(400, 401, 403, 404, 422) },
});
const load = createRoute({
  method: 'post',
  path: '/steward/datasets/{code}/loads',
  operationId: 'loadDatasetVersion',
  tags: ['steward'],
  summary: 'Load rows as a new data version: CSV (with header) or NDJSON, streamed, all or nothing',
  security: bearerSecurity,
  request: {
    params: codeParam,
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string().describe('CSV, UTF-8, header line of field names') },
        'application/x-ndjson': { schema: z.string().describe('one JSON object per line') },
      },
    },
  },
  responses: {
    201: json(
      z.object({ code: z.string(), version: z.number().int(), rowCount: z.number().int(), byteCount: z.number().int(), checksum: z.string(), format: z.string() }),
      'loaded',
    ),
    ...problemResponses(400, 401, 403, 404, 415, 422),
  },
});

function loadFormat(contentType: string | undefined): LoadFormat {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') return 'ndjson';
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send text/csv or application/x-ndjson');
}

export function stewardDatasetRoutes(app: App, deps: GatewayDeps) {
  const staffOnly = requireStaff(deps);
  // '/x/*' also matches '/x' itself
  app.use('/steward/datasets/*', staffOnly);

  const ctx = (c: Parameters<typeof verbContext>[1]) => verbContext(deps, c);

  app.openapi(list, async (c) => c.json(await listDatasetsVerb(ctx(c), c.req.valid('query')), 200));
  app.openapi(show, async (c) => c.json(await showDatasetVerb(ctx(c), c.req.valid('param').code), 200));
  app.openapi(register, async (c) => c.json(await registerDatasetVerb(ctx(c), c.req.valid('json')), 201));
  app.openapi(describe, async (c) =>
    c.json(await describeDatasetVerb(ctx(c), c.req.valid('param').code, c.req.valid('json')), 200),
  );
  app.openapi(load, async (c) => {
    const format = loadFormat(c.req.header('content-type'));
    const raw = c.req.raw.body;
    if (!raw) throw new AppError('BAD_REQUEST', 'the request has no body');
    const body = Readable.fromWeb(raw as import('node:stream/web').ReadableStream<Uint8Array>);
    return c.json(await loadDatasetVerb(ctx(c), { code: c.req.valid('param').code, format, body }), 201);
  });
}
