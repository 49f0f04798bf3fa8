// CKAN Action API v3 subset at /api/3/action/{action} and, as CKAN serves it too, /api/action/{action} (where ckanapi's
// RemoteCKAN posts): GET query or POST JSON body, in CKAN's envelope and with CKAN's error statuses, so CKAN
// harvesters and clients (ckanapi, ckanext-harvest) work against the portal.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CKAN_ACTIONS, PORTAL, runCkanAction } from '../../catalog-open/index.ts';
import { isAppError } from '../../errors/index.ts';
import type { App } from '../app.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';
import { servicesOf } from '../middleware/authenticate.ts';

const envelope = z.object({
  help: z.string(),
  success: z.boolean(),
  result: z.unknown().optional(),
  error: z.object({ __type: z.string(), message: z.string() }).passthrough().optional(),
});
const json = (description: string) => ({ description, content: { 'application/json': { schema: envelope } } });
const actionParam = z.object({ action: z.string().max(64).openapi({ param: { name: 'action', in: 'path' }, example: 'package_search' }) });
const param = (description: string) => z.string().max(4000).optional().openapi({ description });
// a GET may repeat a list parameter's key (what requests does with a Python list)
const listParam = (description: string) => z.union([z.string().max(4000), z.array(z.string().max(200)).max(50)]).optional().openapi({ description });
const query = z.object({
  q: param('plain words (each must occur) or a Solr query: `title:企业`, `tags:人口`, `organization:<name>`, `res_format:CSV`, `name:pop*`, AND / OR / NOT; `*:*` for all'),
  fq: param('a filter in the same syntax, e.g. `organization:a OR organization:b`, `-groups:<name>`, `metadata_modified:[2024-01-01T00:00:00Z TO *]`'),
  fq_list: listParam('several filters, each applied'),
  rows: param('page size, default 10, clamped to 1000'),
  start: param('offset of the first result'),
  sort: param('e.g. `metadata_modified desc` or `name asc`'),
  'facet.field': listParam('JSON list, e.g. `["organization","groups","tags","res_format"]`, or the key repeated'),
  'facet.limit': param('items per facet, default 50, -1 for all'),
  id: param('package_show / organization_show / group_show: name or id'),
  name: param('help_show: the action'),
  query: param('tag_list: tags containing this text'),
  all_fields: param('organization_list / group_list / tag_list: whole dicts'),
  include_datasets: param('organization_show / group_show: include its packages'),
  limit: param('package_list / organization_list / group_list'),
  offset: param('package_list / organization_list / group_list'),
});

const description =
  `Actions: ${CKAN_ACTIONS.join(', ')}. Envelope {"help","success","result"}; errors {"success":false,"error":{"__type","message"}} ` +
  'with CKAN statuses: Not Found Error 404, Validation Error 409, Search Query Error 400.';
const responses = { 200: json('CKAN envelope'), 400: json('Search Query Error / bad request'), 404: json('Not Found Error'), 409: json('Validation Error') };

/** CKAN's two prefixes: versioned (harvesters) and unversioned (ckanapi). Both answer alike. */
const PREFIXES = [
  { path: '/api/3/action', id: 'Ckan3', note: '' },
  { path: '/api/action', id: 'Ckan', note: ' (unversioned path, as ckanapi calls it)' },
] as const;

const routesOf = (prefix: (typeof PREFIXES)[number]) => ({
  get: createRoute({
    method: 'get',
    path: `${prefix.path}/{action}`,
    operationId: `get${prefix.id}Action`,
    tags: ['open data'],
    security: [],
    summary: `CKAN Action API v3 (subset)${prefix.note}`,
    description,
    request: { params: actionParam, query },
    responses,
  }),
  post: createRoute({
    method: 'post',
    path: `${prefix.path}/{action}`,
    operationId: `post${prefix.id}Action`,
    tags: ['open data'],
    security: [],
    summary: `CKAN Action API v3 (subset), parameters as a JSON body${prefix.note}`,
    description,
    // the body is parsed by the handler, not the validator: bad JSON must answer in CKAN's envelope, not problem+json
    request: { params: actionParam },
    responses,
  }),
});

type AnyContext = Context<AppEnv, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The help link under the prefix the request came in by, as CKAN builds it (`url_for(..., ver=…)`). */
const helpUrl = (c: AnyContext, deps: GatewayDeps, action: string) => {
  const prefix = c.req.path.startsWith('/api/3/') ? '/api/3/action' : '/api/action';
  return `${deps.config.publicUrl}${prefix}/help_show?name=${encodeURIComponent(action.slice(0, 64))}`;
};

const STATUS: Record<string, ContentfulStatusCode> = { 'Not Found Error': 404, 'Validation Error': 409, 'Search Query Error': 400, 'Bad Request': 400 };

function failure(c: AnyContext, deps: GatewayDeps, action: string, type: string, message: string, fields: Record<string, unknown> = {}) {
  return c.json({ help: helpUrl(c, deps, action), success: false, error: { __type: type, message, ...fields } }, STATUS[type] ?? 400);
}

async function answer(c: AnyContext, deps: GatewayDeps, action: string, params: Record<string, unknown>): Promise<Response> {
  const { database, policies } = servicesOf(deps);
  try {
    const result = await runCkanAction({ database, policies, site: { base: deps.config.publicUrl, title: PORTAL.title, description: PORTAL.description } }, action, params);
    return c.json({ help: helpUrl(c, deps, action), success: true, result }, 200);
  } catch (err) {
    const type = isAppError(err) ? err.details?.ckan : undefined;
    // anything that is not one of CKAN's kinds (not ready, a bug) goes to the gateway's own error handling
    if (!isAppError(err) || typeof type !== 'string') throw err;
    const fields = (err.details?.fields ?? {}) as Record<string, unknown>;
    const message = type === 'Not Found Error' ? `Not found: ${err.message}` : err.message;
    return failure(c, deps, action, type, message, fields);
  }
}

/** Zod failures of the query: CKAN answers a bad parameter with a Validation Error (409) naming it. */
function hook(deps: GatewayDeps) {
  return (result: { success: boolean; target: string; error?: { issues: { path: PropertyKey[]; message: string }[] } }, c: AnyContext) => {
    if (result.success || !result.error) return undefined;
    const action = c.req.param('action') ?? '';
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'query';
    return failure(c, deps, action, 'Validation Error', `${field}: ${issue?.message ?? 'invalid'}`, { [field]: [issue?.message ?? 'invalid'] });
  };
}

/** Parameters are small; a larger body is refused before it is read (it would only cost memory). */
const BODY_LIMIT = 64 * 1024;

export function ckanRoutes(app: App, deps: GatewayDeps) {
  for (const prefix of PREFIXES) ckanRoutesAt(app, deps, prefix);
}

function ckanRoutesAt(app: App, deps: GatewayDeps, prefix: (typeof PREFIXES)[number]) {
  const routes = routesOf(prefix);
  app.use(
    `${prefix.path}/*`,
    bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => failure(c, deps, c.req.path.split('/').pop() ?? '', 'Bad Request', 'Bad request - the body is larger than 64 KiB') }),
  );
  // the envelope's status is CKAN's (200/400/404/409), which the typed responses cannot express per call: cast once here
  app.openapi(routes.get, (async (c: AnyContext) => answer(c, deps, c.req.param('action') ?? '', c.req.valid('query') as Record<string, unknown>)) as never, hook(deps) as never);
  app.openapi(
    routes.post,
    (async (c: AnyContext) => {
      // ckanapi posts every parameter as a JSON object; the query string may carry some too (the body wins)
      const action = c.req.param('action') ?? '';
      const raw = await c.req.text();
      let body: unknown = {};
      try {
        if (raw.trim() !== '') body = JSON.parse(raw);
      } catch {
        body = null;
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return failure(c, deps, action, 'Bad Request', 'Bad request - JSON Error: the body must be a JSON object');
      }
      return answer(c, deps, action, { ...c.req.query(), ...(body as Record<string, unknown>) });
    }) as never,
    hook(deps) as never,
  );
}
