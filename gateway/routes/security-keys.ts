// Security staff rotate the gateway's token signing key.
import { createRoute, z } from '@hono/zod-openapi';
import { recordChange } from '../../store/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { WHITELIST_RESOURCE } from '../../policies/index.ts';
import { authorizeRoute, requireStaff, servicesOf, verbContext } from '../middleware/authenticate.ts';
import { bearerSecurity, problemResponses } from './shared.ts';

const rotate = createRoute({
  method: 'post',
  path: '/security/signing-keys/rotate',
  operationId: 'rotateSigningKey',
  tags: ['security'],
  summary: 'Rotate the access-token signing key (the previous key verifies until its tokens expire)',
  security: bearerSecurity,
  responses: { 201: { description: 'rotated', content: { 'application/json': { schema: z.object({ kid: z.string() }) } } }, ...problemResponses(401, 403) },
});

export function securityKeyRoutes(app: App, deps: GatewayDeps) {
  // rotating the token key is whitelist administration: it decides which tokens the gateway accepts
  app.use('/security/signing-keys/*', requireStaff(deps), authorizeRoute(deps, { action: 'ManageWhitelist', resource: WHITELIST_RESOURCE }));
  app.openapi(rotate, async (c) => {
    const ctx = verbContext(deps, c);
    const kid = await servicesOf(deps).keys.rotate((tx, created) =>
      recordChange(ctx, tx, 'security.signing_key.rotated', `signing-key:${created}`, { kid: created }),
    );
    return c.json({ kid }, 201);
  });
}
