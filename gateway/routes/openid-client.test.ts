// Interop: the real openid-client (v6, the most used OAuth client for Node) gets an operator token over real HTTP —
// RFC 8414 discovery, then client credentials with its own, unmodified PrivateKeyJwt (which names the issuer as the
// assertion's audience) — and the token works on an operator route. Its refusals arrive as RFC 6749 §5.2 errors.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { registerDataset } from '../../store/index.ts';
import type { App } from '../app.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let server: ServerType;
let issuer: URL;
let security: Record<string, string>;

/** Registers an operator with this key pair and a licence that admits loopback callers. */
async function registerOperator(uscc: string, keyAlg: 'ES256' | 'Ed25519'): Promise<{ id: string; privateKey: CryptoKey; kid: string }> {
  const { publicKey, privateKey } = await generateKeyPair(keyAlg);
  const kid = `interop-${keyAlg.toLowerCase()}`;
  const post = async (path: string, body: unknown) => {
    const res = await gw.app.request(path, { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string };
  };
  const { id } = await post('/security/operators', {
    name: '互操作测试科技有限公司',
    uscc,
    contact: { name: '李四', email: 'interop@example.com', phone: '+86-571-88880001' },
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] },
  });
  await post(`/security/operators/${id}/licenses`, {
    scenario: '互操作测试',
    datasets: [{ code: 'population', fields: ['sex', 'region_code'], operations: ['aggregate'] }],
    validFrom: new Date(Date.now() - 3600_000).toISOString(),
    validTo: new Date(Date.now() + 86400_000).toISOString(),
    ipAllowlist: ['127.0.0.0/8', '::1/128'],
    privacyBudget: { epsilon: 1 },
    maxJobsPerDay: 5,
  });
  return { id, privateKey, kid };
}

beforeAll(async () => {
  // the issuer must be the URL the client reaches: serve first (the port), then build the gateway for that URL
  let app: App | undefined;
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req, env) => app!.fetch(req, env), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  issuer = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  gw = await createTestGateway({ publicUrl: issuer.origin });
  app = gw.app;
  security = await gw.login('security', PASSWORDS.security);
  await registerDataset(gw.services.database.db, DATASETS.population.definition);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await gw?.close();
});

/** Discovery as openid-client documents it for a plain OAuth 2.0 server; http is allowed for the loopback test only. */
const discover = (clientId: string, key: CryptoKey, kid: string) =>
  client.discovery(issuer, clientId, undefined, client.PrivateKeyJwt({ key, kid }), { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });

describe('openid-client against the gateway', () => {
  it('discovers the token endpoint and gets an operator token with PrivateKeyJwt (ES256), which opens an operator route', async () => {
    const op = await registerOperator('91350100M000100Y43', 'ES256');
    const config = await discover(op.id, op.privateKey, op.kid);
    expect(config.serverMetadata().token_endpoint).toBe(`${issuer.origin}/auth/token`);
    const tokens = await client.clientCredentialsGrant(config);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(900);
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: issuer.origin, sub: op.id, role: 'operator' });
    const datasets = await fetch(`${issuer.origin}/operator/datasets`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(datasets.status).toBe(200);
    // a second grant signs a fresh assertion (new jti): not a replay
    expect((await client.clientCredentialsGrant(config)).access_token).not.toBe(tokens.access_token);
  });

  it('works with an Ed25519 key, for which openid-client names the algorithm "Ed25519" (RFC 9864)', async () => {
    const op = await registerOperator('91110000600037341L', 'Ed25519');
    const tokens = await client.clientCredentialsGrant(await discover(op.id, op.privateKey, op.kid));
    expect(tokens.access_token.split('.')).toHaveLength(3);
  });

  it('gets invalid_client with status 401 for a key the operator never registered', async () => {
    const op = await registerOperator('91330000MA27U4QK5Y', 'ES256');
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const config = await discover(op.id, stranger, op.kid);
    const error = await client.clientCredentialsGrant(config).then(
      () => null,
      (err: unknown) => err as { error?: string; status?: number },
    );
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
  });
});
