// Encrypted statistics with a key custodian (docs/encrypted-statistics.md). Rules and checks live in
// sandbox/encrypted-statistics; Cedar (OpenRound, ReadRound, ContributeEncrypted, CloseRound, DecryptTotal) decides.
import { createRoute, z } from '@hono/zod-openapi';
import { closeRound, contribute, decryptTotal, getDecryptionRequest, getRound, openRound, ROUND_STATUSES } from '../../sandbox/encrypted-statistics/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { requireStaff, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const withheld = z.enum(['small_cell', 'secondary']).nullable();
const releasedSchema = z
  .object({
    rules: z.object({ grade: z.string(), minCellCount: z.number().int(), roundingBase: z.number() }),
    statistics: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(['count', 'sum']),
        cells: z.array(z.object({ label: z.string(), value: z.number().nullable(), withheld })),
        total: z.object({ value: z.number().nullable(), withheld }),
      }),
    ),
    suppression: z.object({ primary: z.number().int(), secondary: z.number().int() }),
  })
  .openapi('EncryptedRoundRelease');

const roundSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(ROUND_STATUSES),
    custodianId: z.string(),
    departments: z.array(z.string()),
    minDepartments: z.number().int(),
    contributed: z.array(z.string()).openapi({ description: 'departments that have contributed (names only)' }),
    rules: z.object({ grade: z.string(), minCellCount: z.number().int(), roundingBase: z.number() }),
    layout: z.object({
      cells: z.array(z.string()),
      sums: z.array(z.string()),
      valueBits: z.number().int(),
      vectorLength: z.number().int(),
      slotBits: z.number().int(),
      slotsPerPlaintext: z.number().int(),
      ciphertexts: z.number().int(),
    }),
    publicKey: z.string().openapi({ description: 'crypto/paillier public-key serialization (JSON text, version 1)' }),
    keyId: z.string(),
    released: releasedSchema.nullable(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    releasedAt: z.string().nullable(),
  })
  .openapi('EncryptedRound');

// bodies are checked in the verbs, so that every refused body leaves an audit entry with its reason
const body = (description: string) => ({
  required: true,
  content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi({ description }) } },
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const params = z.object({ id: z.string().min(1).max(100) });
const common = { tags: ['encrypted-statistics'], security: bearerSecurity };
const BASE = '/encrypted-statistics/rounds';

const routes = {
  open: createRoute({
    ...common,
    method: 'post',
    path: BASE,
    operationId: 'openEncryptedRound',
    summary: 'A key custodian opens a round under their Paillier public key (≥ 2048 bits)',
    request: { body: body('{ title, departments (≥ 3), minDepartments?, grade?, cells, sums?, valueBits?, publicKey }') },
    responses: { 201: json(roundSchema, 'the round'), ...problemResponses(401, 403, 422) },
  }),
  get: createRoute({
    ...common,
    method: 'get',
    path: `${BASE}/{id}`,
    operationId: 'getEncryptedRound',
    summary: 'A round: public key, layout, contributing departments and, once released, the checked table',
    request: { params },
    responses: { 200: json(roundSchema, 'the round'), ...problemResponses(401, 403, 404) },
  }),
  contribute: createRoute({
    ...common,
    method: 'post',
    path: `${BASE}/{id}/contributions`,
    operationId: 'contributeToEncryptedRound',
    summary: "A steward contributes their department's figures, encrypted under the round's key (once per department)",
    request: { params, body: body('{ ciphertexts: the crypto/paillier ciphertext envelope { v, scheme, type, key, c: hex[] } }') },
    responses: { 201: json(roundSchema, 'the round'), ...problemResponses(401, 403, 404, 409, 422) },
  }),
  close: createRoute({
    ...common,
    method: 'post',
    path: `${BASE}/{id}/close`,
    operationId: 'closeEncryptedRound',
    summary: 'The custodian closes the round: the platform adds the contributions homomorphically and masks the sum',
    request: { params },
    responses: { 200: json(roundSchema, 'the round'), ...problemResponses(401, 403, 404, 409) },
  }),
  decryptionRequest: createRoute({
    ...common,
    method: 'get',
    path: `${BASE}/{id}/decryption-request`,
    operationId: 'getDecryptionRequest',
    summary: 'The masked total for the custodian to decrypt (uniformly random plaintexts to them)',
    request: { params },
    responses: { 200: json(z.object({ roundId: z.string(), keyId: z.string(), maskedTotal: z.array(z.string()) }), 'the masked total'), ...problemResponses(401, 403, 404, 409) },
  }),
  decrypt: createRoute({
    ...common,
    method: 'post',
    path: `${BASE}/{id}/decryption`,
    operationId: 'submitDecryption',
    summary: 'The custodian decrypts the masked total into disclosure control; only the checked table is released',
    request: { params, body: body('{ plaintexts: hex[], randomness: hex[] } — per masked ciphertext, m and r with c = g^m · r^n mod n²') },
    responses: { 200: json(roundSchema, 'the round, released'), ...problemResponses(401, 403, 404, 409, 422) },
  }),
};

export function encryptedStatisticsRoutes(app: App, deps: GatewayDeps) {
  // '/x/*' also matches '/x' itself; Cedar decides in each verb
  app.use('/encrypted-statistics/*', requireStaff(deps));
  app.openapi(routes.open, async (c) => c.json(await openRound(verbContext(deps, c), c.req.valid('json')), 201));
  app.openapi(routes.get, async (c) => c.json(await getRound(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.contribute, async (c) => c.json(await contribute(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 201));
  app.openapi(routes.close, async (c) => c.json(await closeRound(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.decryptionRequest, async (c) => c.json(await getDecryptionRequest(verbContext(deps, c), c.req.valid('param').id), 200));
  app.openapi(routes.decrypt, async (c) => c.json(await decryptTotal(verbContext(deps, c), c.req.valid('param').id, c.req.valid('json')), 200));
}
