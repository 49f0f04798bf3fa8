// POST /operator/federated-jobs: an operator submits a federated job on this (coordinating) node, naming the other
// nodes. The licence must grant the `federated` operation; the answer is the checked release (or the refusal).
import { createRoute, z } from '@hono/zod-openapi';
import { submitFederatedJob, submitFederatedSchema } from '../../sandbox/federation/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import type { FederationNode } from '../federation/node.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const answerSchema = z
  .object({
    roundId: z.string(),
    outcome: z.enum(['release', 'review', 'refuse']),
    released: z.unknown().openapi({ description: 'the checked tables (null unless released)' }),
    report: z.array(z.unknown()),
    survivors: z.array(z.string()),
    dropped: z.array(z.string()),
    epsilonSpent: z.number(),
  })
  .openapi('FederatedRelease');

const route = createRoute({
  tags: ['operator'],
  security: bearerSecurity,
  method: 'post',
  path: '/operator/federated-jobs',
  operationId: 'submitFederatedJob',
  summary: 'Run a federated job across domain nodes under secure aggregation; disclosure control once, here',
  description: 'The licence must grant the `federated` operation on the dataset and fields. Every node runs the job on its own data; only the masked sum leaves them. See docs/federation.md.',
  request: { body: { required: true, content: { 'application/json': { schema: submitFederatedSchema } } } },
  responses: { 200: { description: 'the release', content: { 'application/json': { schema: answerSchema } } }, ...problemResponses(400, 401, 403, 409, 422) },
});

/** Registered (by federationRoutes) after operatorDatasetRoutes, whose requireOperator guards every /operator/* route. */
export function operatorFederatedRoutes(app: App, deps: GatewayDeps, nodeOf: () => Promise<FederationNode>): void {
  app.openapi(route, async (c) => {
    const node = await nodeOf();
    const services = servicesOf(deps);
    const release = await submitFederatedJob(verbContext(deps, c), c.req.valid('json'), {
      nodeId: node.identity.nodeId,
      policies: services.policies,
      isPeer: (id) => node.identity.peers.has(id),
      audit: (e) => services.audit.append(e),
      call: node.caller,
    });
    return c.json({ ...release, report: [...release.report] }, 200);
  });
}
