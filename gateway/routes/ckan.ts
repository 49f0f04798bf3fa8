// CKAN Action API v3 subset at /api/3/action/{action} (GET query or POST JSON body), in CKAN's envelope and with
// CKAN's error statuses, so CKAN harvesters and clients (ckanapi, ckanext-harvest) work against the portal.
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
const query = z.object({
  q: param('plain text; each word must occur (name, summary, keywords, department, fields); `*:*` for all'),
  fq: param('`organization:<name>`, `tags:<tag>`, `res_format:CSV`, `metadata_modified:[2024-01-01T00:00:00Z TO *]`, ANDed; `-` negates'),
  rows: param('page size, default 10, clamped to 1000'),
  start: param('offset of the first result'),
  sort: param('e.g. `metadata_modified desc` or `name asc`'),
  'facet.field': param('JSON list, e.g. `["organization","tags","res_format"]`'),
  'facet.limit': param('items per facet, default 50, -1 for all'),
  id: param('package_show / organization_show: name or id'),
  all_fields: param('organization_list: whole organization dicts'),
  include_datasets: param('organization_show: include its packages'),
  limit: param('package_list / organization_list'),
  offset: param('package_list / organization_list'),
});

const description =
  `Actions: ${CKAN_ACTIONS.join(', ')}. Envelope {"help","success","result"}; errors {"success":false,"error":{"__type","message"}} ` +
  'with CKAN statuses: Not Found Error 404, Validation Error 409, Search Query Error 400.';
const responses = { 200: json('CKAN envelope'), 400: json('Search Query Error / bad request'), 404: json('Not Found Error'), 409: json('Validation Error') };

const getAction = createRoute({
  method: 'get',
  path: '/api/3/action/{action}',
  tags: ['open data'],
  summary: 'CKAN Action API v3 (subset)',
  description,
  request: { params: actionParam, query },
  responses,
});
const postAction = createRoute({
  method: 'post',
  path: '/api/3/action/{action}',
  tags: ['open data'],
  summary: 'CKAN Action API v3 (subset), parameters as a JSON body',
  description,
  // the body is parsed by the handler, not the validator: bad JSON must answer in CKAN's envelope, not problem+json
  request: { params: actionParam },
  responses,
});

type AnyContext = Context<AppEnv, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const helpUrl = (deps: GatewayDeps, action: string) =>
  `${deps.config.publicUrl}/api/3/action/help_show?name=${encodeURIComponent(action.slice(0, 64))}`;

const STATUS: Record<string, ContentfulStatusCode> = { 'Not Found Error': 404, 'Validation Error': 409, 'Search Query Error': 400, 'Bad Request': 400 };

function failure(c: AnyContext, deps: GatewayDeps, action: string, type: string, message: string, fields: Record<string, unknown> = {}) {
  return c.json({ help: helpUrl(deps, action), success: false, error: { __type: type, message, ...fields } }, STATUS[type] ?? 400);
}

async function answer(c: AnyContext, deps: GatewayDeps, action: string, params: Record<string, unknown>): Promise<Response> {
  const { database, policies } = servicesOf(deps);
  try {
    const result = await runCkanAction({ database, policies, site: { base: deps.config.publicUrl, title: PORTAL.title, description: PORTAL.description } }, action, params);
    return c.json({ help: helpUrl(deps, action), success: true, result }, 200);
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
  app.use(
    '/api/3/action/*',
    bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => failure(c, deps, c.req.path.split('/').pop() ?? '', 'Bad Request', 'Bad request - the body is larger than 64 KiB') }),
  );
  // the envelope's status is CKAN's (200/400/404/409), which the typed responses cannot express per call: cast once here
  app.openapi(getAction, (async (c: AnyContext) => answer(c, deps, c.req.param('action') ?? '', c.req.valid('query') as Record<string, unknown>)) as never, hook(deps) as never);
  app.openapi(
    postAction,
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
