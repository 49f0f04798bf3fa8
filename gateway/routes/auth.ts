// Staff sign-in. Operators use /auth/token (client credentials, issue 3).
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { issueAccessToken } from '../identity/access-tokens.ts';
import { checkStaffLogin } from '../identity/staff.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { problemSchema } from './shared.ts';

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in as staff (security or steward) and get a 15-minute access token',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1024) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'signed in',
      content: {
        'application/json': {
          schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
        },
      },
    },
    401: { description: 'wrong username or password', content: { 'application/problem+json': { schema: problemSchema } } },
    423: { description: 'locked after repeated failures', content: { 'application/problem+json': { schema: problemSchema } } },
  },
});

export function authRoutes(app: App, deps: GatewayDeps) {
  app.openapi(login, async (c) => {
    const { database, keys } = servicesOf(deps);
    const { username, password } = c.req.valid('json');
    const staff = await checkStaffLogin(database.db, username, password);
    c.header('Cache-Control', 'no-store');
    return c.json(await issueAccessToken(keys, deps.config.publicUrl, { sub: staff.id, role: staff.role }), 200);
  });
}
