// Security staff keep the operator whitelist and licences. Handlers validate, call a verb, answer.
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { changeLicense, grantLicense } from '../whitelist/licenses.ts';
import { addOperatorKey, listOperators, registerOperator, retireOperatorKey, setOperatorStatus, showOperator } from '../whitelist/operators.ts';
import { addKeySchema, changeLicenseSchema, grantLicenseSchema, operatorStatusSchema, registerOperatorSchema } from '../whitelist/schemas.ts';
import { bearerSecurity, pageQuerySchema, problemResponses } from './shared.ts';

const licenseSchema = z.object({
  id: z.string(),
  operatorId: z.string(),
  scenario: z.string(),
  datasets: z.array(z.object({ code: z.string(), fields: z.array(z.string()), operations: z.array(z.string()) })),
  validFrom: z.string(),
  validTo: z.string(),
  ipAllowlist: z.array(z.string()),
  privacyBudget: z.object({ epsilon: z.number() }),
  maxJobsPerDay: z.number().int(),
  status: z.string(),
  statusReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const operatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string(),
  contact: z.object({ name: z.string(), email: z.string(), phone: z.string() }),
  status: z.string(),
  statusReason: z.string().nullable(),
  keys: z.array(z.object({ kid: z.string(), alg: z.string(), jwk: z.record(z.string(), z.unknown()), createdAt: z.string(), retiredAt: z.string().nullable() })),
  licenses: z.array(licenseSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const idParam = z.object({ id: z.string().min(1).max(100) });
const common = { tags: ['security'], security: bearerSecurity };

const routes = {
  register: createRoute({ ...common, method: 'post', path: '/security/operators', operationId: 'registerOperator', summary: 'Register an operator (whitelist)', request: body(registerOperatorSchema), responses: { 201: json(operatorSchema, 'registered'), ...problemResponses(400, 401, 403, 409, 422) } }),
  list: createRoute({ ...common, method: 'get', path: '/security/operators', operationId: 'listOperators', summary: 'Operators with keys and licences', request: { query: pageQuerySchema }, responses: { 200: json(z.object({ items: z.array(operatorSchema), nextCursor: z.string().nullable() }), 'a page'), ...problemResponses(400, 401, 403) } }),
  show: createRoute({ ...common, method: 'get', path: '/security/operators/{id}', operationId: 'getOperator', summary: 'One operator', request: { params: idParam }, responses: { 200: json(operatorSchema, 'the operator'), ...problemResponses(401, 403, 404) } }),
  status: createRoute({ ...common, method: 'post', path: '/security/operators/{id}/status', operationId: 'setOperatorStatus', summary: 'Suspend, reinstate or revoke an operator (effective on live tokens at once)', request: { params: idParam, ...body(operatorStatusSchema) }, responses: { 200: json(operatorSchema, 'changed'), ...problemResponses(400, 401, 403, 404, 409, 422) } }),
  addKey: createRoute({ ...common, method: 'post', path: '/security/operators/{id}/keys', operationId: 'addOperatorKey', summary: "Add a public key (JWK, ES256 or EdDSA) to an operator", request: { params: idParam, ...body(addKeySchema) }, responses: { 201: json(operatorSchema, 'added'), ...problemResponses(400, 401, 403, 404, 409, 422) } }),
  retireKey: createRoute({ ...common, method: 'delete', path: '/security/operators/{id}/keys/{kid}', operationId: 'retireOperatorKey', summary: 'Retire a key', request: { params: idParam.extend({ kid: z.string().min(1).max(100) }) }, responses: { 200: json(operatorSchema, 'retired'), ...problemResponses(401, 403, 404) } }),
  grant: createRoute({ ...common, method: 'post', path: '/security/operators/{id}/licenses', operationId: 'grantLicense', summary: 'Grant a licence (scope, validity, IP allowlist, budget, quota)', request: { params: idParam, ...body(grantLicenseSchema) }, responses: { 201: json(licenseSchema, 'granted'), ...problemResponses(400, 401, 403, 404, 409, 422) } }),
  change: createRoute({ ...common, method: 'patch', path: '/security/licenses/{id}', operationId: 'changeLicense', summary: 'Change, suspend or revoke a licence', request: { params: idParam, ...body(changeLicenseSchema) }, responses: { 200: json(licenseSchema, 'changed'), ...problemResponses(400, 401, 403, 404, 409, 422) } }),
};

export function securityWhitelistRoutes(app: App, deps: GatewayDeps) {
  const securityOnly = requireStaff(deps);
  // '/x/*' also matches '/x' itself
  app.use('/security/operators/*', securityOnly);
  app.use('/security/licenses/*', securityOnly);

  app.openapi(routes.register, async (c) => c.json(await registerOperator(verbContext(deps, c), c.req.valid('json')), 201));
  app.openapi(routes.list, async (c) => c.json(await listOperators(verbContext(deps, c), c.req.valid('query')), 200));
  app.openapi(routes.show, async (c) => c.json(await showOperator(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.status, async (c) => c.json(await setOperatorStatus(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.addKey, async (c) => c.json(await addOperatorKey(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json').jwk), 201));
  app.openapi(routes.retireKey, async (c) => {
    const { id, kid } = c.req.valid('param');
    return c.json(await retireOperatorKey(verbContext(deps, c), id, kid), 200);
  });
  app.openapi(routes.grant, async (c) => c.json(await grantLicense(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 201));
  app.openapi(routes.change, async (c) => c.json(await changeLicense(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 200));
}
