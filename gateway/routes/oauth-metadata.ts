// OAuth 2.0 Authorization Server Metadata (RFC 8414) at /.well-known/oauth-authorization-server, so standard clients
// (openid-client, oauth4webapi, Spring Security, …) find the token endpoint and how to authenticate by discovery.
// No /.well-known/openid-configuration: the gateway is not an OpenID Provider (no authorization endpoint, no ID
// tokens, no userinfo), and an OIDC document would have to claim all three. openid-client discovers it with
// `discovery(issuer, clientId, …, { algorithm: 'oauth2' })`.
import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { ASSERTION_ALGS } from '../identity/client-assertion.ts';
import { problemResponses } from './shared.ts';

export const tokenEndpointOf = (issuer: string) => `${issuer}/auth/token`;

const metadataSchema = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  grant_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  service_documentation: z.string(),
  ui_locales_supported: z.array(z.string()),
});
export type AuthorizationServerMetadata = z.infer<typeof metadataSchema>;

/** The metadata document; `issuer` is exactly the `iss` of the access tokens the gateway signs. */
export function authorizationServerMetadata(issuer: string): AuthorizationServerMetadata {
  return {
    issuer,
    token_endpoint: tokenEndpointOf(issuer),
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    // RFC 8414 requires the member; there is no authorization endpoint, so no response type is supported
    response_types_supported: [],
    service_documentation: `${issuer}/docs`,
    ui_locales_supported: ['zh-CN', 'en'],
  };
}

const metadata = createRoute({
  method: 'get',
  path: '/.well-known/oauth-authorization-server',
  operationId: 'getAuthorizationServerMetadata',
  tags: ['auth'],
  security: [],
  summary: 'OAuth 2.0 authorization server metadata (RFC 8414): token endpoint, private_key_jwt, signing algorithms',
  responses: { 200: { description: 'the metadata', content: { 'application/json': { schema: metadataSchema } } }, ...problemResponses(429) },
});

export function oauthMetadataRoutes(app: App, deps: GatewayDeps) {
  app.openapi(metadata, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(authorizationServerMetadata(deps.config.publicUrl), 200);
  });
}
