// Staff sign-in (/auth/login) and operator client credentials (/auth/token, RFC 7523 private_key_jwt).
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { issueAccessToken } from '../identity/access-tokens.ts';
import { isAppError } from '../../errors/index.ts';
import { ASSERTION_TYPE, checkClientAssertion, OAuthError } from '../identity/client-assertion.ts';
import { checkStaffLogin } from '../identity/staff.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { oauthMetadataRoutes, tokenEndpointOf } from './oauth-metadata.ts';
import { problemResponses, problemSchema } from './shared.ts';

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  operationId: 'signInStaff',
  tags: ['auth'],
  security: [],
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
    ...problemResponses(429),
  },
});

const oauthError = z.object({ error: z.string(), error_description: z.string() });
const tokenResponse = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() });

const token = createRoute({
  method: 'post',
  path: '/auth/token',
  operationId: 'requestOperatorToken',
  tags: ['auth'],
  // the client authenticates in the body (private_key_jwt), not with a bearer token
  security: [],
  summary: 'Operator access token: OAuth 2.0 client credentials with a private_key_jwt client assertion (RFC 7523)',
  description:
    'Discovery: `/.well-known/oauth-authorization-server` (RFC 8414). The assertion\'s `aud` is the issuer identifier or this ' +
    'endpoint\'s URL, as one string. Errors (RFC 6749 §5.2): `invalid_request` 400 (missing or repeated parameter), ' +
    '`unsupported_grant_type` 400, `invalid_client` 401 (unknown client, bad signature or claims, expired, replayed, ' +
    'suspended operator), `unauthorized_client` 400 (no licence valid now, or the caller\'s IP outside every allowlist).',
  request: {
    body: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: z.object({
            grant_type: z.literal('client_credentials'),
            client_assertion_type: z.literal(ASSERTION_TYPE),
            client_assertion: z.string(),
            client_id: z.string().optional().describe('optional; when sent, the operator id the assertion names'),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: 'token issued', content: { 'application/json': { schema: tokenResponse } } },
    400: { description: 'invalid_request, unsupported_grant_type or unauthorized_client (RFC 6749 §5.2)', content: { 'application/json': { schema: oauthError } } },
    401: { description: 'invalid_client (RFC 6749 §5.2)', content: { 'application/json': { schema: oauthError } } },
    ...problemResponses(429),
  },
});

/**
 * The form, read leniently: the token endpoint answers bad input in OAuth's error format, not problem+json. A
 * parameter sent twice is refused (RFC 6749 §3.2: "MUST NOT be included more than once").
 */
async function readForm(req: Request): Promise<Record<string, string | undefined>> {
  if (!req.headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'send application/x-www-form-urlencoded');
  }
  const text = await req.text();
  if (text.length > 16 * 1024) throw new OAuthError('invalid_request', 'request too large');
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(form, key)) throw new OAuthError('invalid_request', `parameter ${key.slice(0, 40)} sent more than once`);
    form[key] = value;
  }
  return form;
}

export function authRoutes(app: App, deps: GatewayDeps) {
  app.openapi(login, async (c) => {
    const { database, keys, audit } = servicesOf(deps);
    const { username, password } = c.req.valid('json');
    const event = { action: 'auth.login', resource: 'staff', ip: c.get('ip'), requestId: c.get('requestId') };
    try {
      const staff = await checkStaffLogin(database.db, username, password);
      await audit.append({ ...event, actor: { type: 'staff', id: staff.id }, outcome: 'allow' });
      c.header('Cache-Control', 'no-store');
      return c.json(await issueAccessToken(keys, deps.config.publicUrl, { sub: staff.id, role: staff.role }), 200);
    } catch (err) {
      // the username is not recorded: people type passwords into it
      if (isAppError(err)) await audit.append({ ...event, actor: { type: 'public', id: null }, outcome: 'deny', details: { reason: err.code } });
      throw err;
    }
  });

  oauthMetadataRoutes(app, deps);

  // registered with app.post, not app.openapi: the form is validated by checkClientAssertion so that every
  // refusal takes the OAuth error shape; the route definition above documents it
  app.openAPIRegistry.registerPath(token);
  app.post('/auth/token', async (c) => {
    const { database, keys, audit } = servicesOf(deps);
    const event = { action: 'auth.token', resource: 'operator', ip: c.get('ip'), requestId: c.get('requestId') };
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    try {
      const grant = await checkClientAssertion(database.db, {
        form: await readForm(c.req.raw),
        issuer: deps.config.publicUrl,
        tokenEndpoint: tokenEndpointOf(deps.config.publicUrl),
        ip: c.get('ip'),
      });
      await audit.append({ ...event, actor: { type: 'operator', id: grant.operatorId }, outcome: 'allow', details: { licenses: grant.licenseIds } });
      return c.json(await issueAccessToken(keys, deps.config.publicUrl, { sub: grant.operatorId, role: 'operator', licenses: grant.licenseIds }), 200);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      await audit.append({
        ...event,
        actor: { type: err.operatorId ? 'operator' : 'public', id: err.operatorId },
        outcome: 'deny',
        details: { error: err.error, reason: err.description },
      });
      return c.json({ error: err.error, error_description: err.description }, err.status);
    }
  });
}
