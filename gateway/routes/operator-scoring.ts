// Encrypted scoring (普惠金融): POST /operator/scoring. The product lives in sandbox/encrypted-scoring, the CKKS
// arithmetic in crypto/seal; the SDK (sdk/encrypted-scoring.ts) does the bank's side. See docs/encrypted-scoring.md.
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors/index.ts';
import { runScoring, SCORING_LIMITS, scoringRequestSchema, type ScoringRequest } from '../../sandbox/encrypted-scoring/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { problemResponse } from '../problem.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const PATH = '/operator/scoring';

const answerSchema = z
  .object({
    runId: z.string(),
    scores: z.string().openapi({ description: 'base64 of one CKKS ciphertext (versioned SEAL envelope) under the bank’s key: slot i = layout.enterprises[i]' }),
    layout: z.object({
      scheme: z.literal('ckks'),
      preset: z.string(),
      slots: z.number().int(),
      enterprises: z.array(z.string()).openapi({ description: 'the scored enterprises, in slot order' }),
      noiseSd: z.number().openapi({ description: 'standard deviation of the noise the platform added to each score' }),
    }),
    missing: z.array(z.string()).openapi({ description: 'listed USCCs not found in the data (not scored)' }),
    standardization: z.array(z.object({ feature: z.string(), mean: z.number(), sd: z.number(), imputed: z.number().int() })),
    dataVersions: z.record(z.string(), z.number().int()),
  })
  .openapi('ScoringAnswer');

const route = createRoute({
  tags: ['operator'],
  security: bearerSecurity,
  method: 'post',
  path: PATH,
  operationId: 'runEncryptedScoring',
  summary: 'Encrypted scoring: a CKKS-encrypted linear model over consenting enterprises’ masked, standardized features',
  description:
    'The licence must grant `encrypted-scoring` on every feature’s dataset and field. Body limit ' +
    `${SCORING_LIMITS.bodyBytes / 1024 / 1024} MiB on this route only. At least ${SCORING_LIMITS.minEnterprises} listed enterprises must be found. ` +
    'Each run counts against maxJobsPerDay and is audited (names and counts only); refusals are audited too. A secret key in any field is refused (422).',
  request: { body: { required: true, content: { 'application/json': { schema: scoringRequestSchema } } } },
  responses: { 200: { description: 'the encrypted scores', content: { 'application/json': { schema: answerSchema } } }, ...problemResponses(400, 401, 403, 404, 413, 422, 429) },
});

/** Registered after operatorDatasetRoutes, whose requireOperator guards every /operator/* route. */
export function operatorScoringRoutes(app: App, deps: GatewayDeps) {
  // keys and ciphertexts are hundreds of KB each: a larger limit than elsewhere, on this route only
  app.use(
    PATH,
    bodyLimit({
      maxSize: SCORING_LIMITS.bodyBytes,
      onError: (c) => problemResponse(c, new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${SCORING_LIMITS.bodyBytes / 1024 / 1024} MiB`)),
    }),
  );
  const deps2 = () => ({ policies: servicesOf(deps).policies });
  app.openapi(
    route,
    async (c) => c.json(await runScoring(verbContext(deps, c), c.req.valid('json'), deps2()), 200),
    // a body the schema refuses goes through the verb too, so that the refusal is audited like any other
    (result, c) => {
      if (result.success) return undefined;
      const refuse = async (): Promise<never> => {
        const raw = (await c.req.json().catch(() => undefined)) as ScoringRequest;
        await runScoring(verbContext(deps, c), raw, deps2());
        throw new AppError('VALIDATION_FAILED', 'invalid request body');
      };
      return refuse();
    },
  );
}
