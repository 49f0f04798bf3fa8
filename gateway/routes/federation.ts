// Node-to-node routes of federated jobs: POST /federation/v1/rounds/{roundId}/{step}. The body is one signed message
// (node-identity.ts); the reply is signed by this node for the coordinator. No staff or operator token: the peer's
// pinned key is the authentication, and the participant state machine decides what a step may do.
import { createRoute, z } from '@hono/zod-openapi';
import { AppError, isAppError } from '../../errors/index.ts';
import { createIsolatePool } from '../../sandbox/execution/index.ts';
import { ROUND_STEPS, type RoundStep } from '../../sandbox/federation/index.ts';
import { loadPseudonymSecret } from '../../sandbox/jobs/index.ts';
import type { App } from '../app.ts';
import { pseudonymSecretEnv } from '../config.ts';
import type { GatewayDeps } from '../context.ts';
import { createFederationNode, type FederationNode } from '../federation/node.ts';
import { createNodeIdentity, signMessage, verifyMessage } from '../federation/node-identity.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { operatorFederatedRoutes } from './operator-federated.ts';
import { problemResponses } from './shared.ts';

const messageSchema = z.object({ token: z.string().min(1).max(1 << 24) }).strict().openapi('FederationMessage');

const route = createRoute({
  tags: ['federation'],
  method: 'post',
  path: '/federation/v1/rounds/{roundId}/{step}',
  operationId: 'postFederationStep',
  security: [],
  summary: 'One step of a federated secure-aggregation round, from the round’s coordinator (node to node)',
  description: 'The body is an ES256 JWT signed by a pinned peer (iss = sender node id, aud = this node id, ≤ 60 s, jti never seen before). The reply is signed by this node. See docs/federation.md.',
  request: {
    params: z.object({ roundId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), step: z.enum(ROUND_STEPS) }),
    body: { required: true, content: { 'application/json': { schema: messageSchema } } },
  },
  responses: { 200: { description: 'the signed reply', content: { 'application/json': { schema: messageSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

/**
 * Registers the node-to-node routes and POST /operator/federated-jobs. `node` is given by tests; otherwise it is built on first use from the
 * configuration (NODE_ID, FEDERATION_KEY, FEDERATION_PEERS), and without that configuration no route is registered.
 */
export function federationRoutes(app: App, deps: GatewayDeps, node?: FederationNode): void {
  const configured = deps.config.federation;
  if (!node && !configured) return;
  let ready: Promise<FederationNode> | undefined = node ? Promise.resolve(node) : undefined;
  const nodeOf = (): Promise<FederationNode> =>
    (ready ??= (async () => {
      const services = servicesOf(deps);
      const identity = await createNodeIdentity(configured!);
      return createFederationNode({ identity, services, pool: createIsolatePool({ size: 1 }), pseudonymSecret: await loadPseudonymSecret(pseudonymSecretEnv(deps.config), deps.config.dataDir) });
    })().catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));

  operatorFederatedRoutes(app, deps, nodeOf);
  app.openapi(route, async (c) => {
    const { roundId, step } = c.req.valid('param');
    const { token } = c.req.valid('json');
    const n = await nodeOf();
    let message;
    try {
      message = await verifyMessage(n.identity, n.replay, token, { roundId, step, kind: 'request' });
      if (step === 'start' && !n.identity.peers.get(message.from)?.coordinator)
        throw new AppError('FORBIDDEN', 'this peer may not start rounds here', { details: { reason: 'not-a-coordinator' } });
    } catch (err) {
      // refused before the participant saw it: audited here (code and reason only, never the token)
      const details = isAppError(err) ? { code: err.code, reason: err.details?.reason, step } : { code: 'INTERNAL', step };
      await servicesOf(deps).audit.append({ actor: { type: 'system', id: `federation:${n.identity.nodeId}` }, action: 'federation.message.refused', resource: `federated-round:${roundId}`, outcome: 'deny', ip: c.get('ip'), requestId: c.get('requestId'), details });
      throw err;
    }
    const reply = await n.participant.handle(message.from, roundId, step as RoundStep, message.body);
    const signed = await signMessage(n.identity, message.from, { roundId, step, kind: 'reply', inReplyTo: message.jti }, reply);
    return c.json({ token: signed.token }, 200);
  });
}
