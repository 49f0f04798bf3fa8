// Encrypted list matching (隐私求交): POST /operator/psi. The protocol and its rules live in sandbox/psi and crypto/psi.
import { createRoute, z } from '@hono/zod-openapi';
import { PsiPointCache, PSI_LIMITS, runPsi } from '../../sandbox/psi/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/);
const point = z.string().max(64).openapi({ description: 'base64url (no padding) of a 32-byte X25519 u-coordinate', example: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo' });

const requestSchema = z
  .object({
    licenseId: z.string().min(1).max(100),
    dataset: identifier.openapi({ example: 'credit_dishonest' }),
    field: identifier.openapi({ example: 'uscc' }),
    blinded: z
      .array(point)
      .min(1)
      .max(PSI_LIMITS.maxList)
      .openapi({ description: `a·H(x) for each of the operator's identifiers, shuffled by the client; at least ${PSI_LIMITS.minList} distinct` }),
  })
  .strict()
  .openapi('PsiRequest');

const answerSchema = z
  .object({
    runId: z.string(),
    dataset: z.string(),
    field: z.string(),
    dataVersion: z.number().int(),
    hashVersion: z.string(),
    listSize: z.number().int(),
    serverSetSize: z.number().int(),
    blinded: z.array(z.string()).openapi({ description: 'b·A_i, in the order received' }),
    serverSet: z.array(z.string()).openapi({ description: "b·H(y_j) for every identifier of the field's current version, shuffled" }),
  })
  .openapi('PsiAnswer');

const route = createRoute({
  tags: ['operator'],
  security: bearerSecurity,
  method: 'post',
  path: '/operator/psi',
  operationId: 'runPsi',
  summary: 'Encrypted list matching (ECDH-PSI over X25519): which of my identifiers are in a licensed government list',
  description: 'The licence must grant the `psi` operation on the dataset and field. Each run counts against maxJobsPerDay and is audited (sizes only). See docs/psi.md; the SDK (sdk/psi.ts) does the client side.',
  request: { body: { required: true, content: { 'application/json': { schema: requestSchema } } } },
  responses: { 200: { description: 'the blinded answer', content: { 'application/json': { schema: answerSchema } } }, ...problemResponses(400, 401, 403, 404, 422, 429) },
});

/** Registered after operatorDatasetRoutes, whose requireOperator guards every /operator/* route. */
export function operatorPsiRoutes(app: App, deps: GatewayDeps) {
  // hashed points of government lists, per dataset version; per app, so each test gateway has its own
  const cache = new PsiPointCache();
  app.openapi(route, async (c) => c.json(await runPsi(verbContext(deps, c), c.req.valid('json'), { policies: servicesOf(deps).policies, cache }), 200));
}
