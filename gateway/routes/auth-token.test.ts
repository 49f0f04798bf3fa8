// POST /auth/token: RFC 7523 client assertions, refused in RFC 6749's error format.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
const TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

beforeAll(async () => {
  gw = await createTestGateway();
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
});
afterAll(() => gw.close());

const form = (assertion: string) => ({ grant_type: 'client_credentials', client_assertion_type: TYPE, client_assertion: assertion });

/** RFC 6749 §5.2: each error code with its status. */
const STATUS: Record<string, number> = { invalid_request: 400, unsupported_grant_type: 400, unauthorized_client: 400, invalid_client: 401 };

async function refused(res: Response, error: string) {
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(res.status).toBe(STATUS[error]);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(typeof body.error_description).toBe('string');
}

describe('POST /auth/token', () => {
  it('issues an ES256 operator token with its licences, and audits it', async () => {
    const res = await op.tokenRequest(form(await op.assertion()));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: op.id, role: 'operator', licenses: [op.licenseId], iss: gw.config.publicUrl });
    const page = await listAudit(gw.services.database.db, { action: 'auth.token' }, { limit: 10 });
    expect(page.items.some((e) => e.outcome === 'allow' && e.actor.id === op.id)).toBe(true);
  });

  it('refuses a replayed assertion', async () => {
    const assertion = await op.assertion();
    expect((await op.tokenRequest(form(assertion))).status).toBe(200);
    await refused(await op.tokenRequest(form(assertion)), 'invalid_client');
  });

  it('accepts the issuer identifier as the audience, as RFC 7523bis prefers (and openid-client sends)', async () => {
    const res = await op.tokenRequest(form(await op.assertion({ claims: { aud: gw.config.publicUrl } })));
    expect(res.status).toBe(200);
  });

  it('refuses an assertion for another audience, or for several at once', async () => {
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { aud: 'https://other.example/auth/token' } }))), 'invalid_client');
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { aud: `${gw.config.publicUrl}/` } }))), 'invalid_client');
    // an assertion minted for two servers could be replayed by the other one
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { aud: [gw.config.publicUrl, 'https://other.example'] } }))), 'invalid_client');
  });

  it('refuses an assertion that lives longer than 5 minutes', async () => {
    await refused(await op.tokenRequest(form(await op.assertion({ expiresIn: '30m' }))), 'invalid_client');
  });

  it('refuses an expired assertion', async () => {
    const past = Math.floor(Date.now() / 1000) - 600;
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { exp: past, iat: past - 60 } }))), 'invalid_client');
  });

  it('refuses a client_id that is not the assertion\'s client, and any parameter sent twice', async () => {
    await refused(await op.tokenRequest({ ...form(await op.assertion()), client_id: 'op_00000000-0000-0000-0000-000000000000' }), 'invalid_client');
    expect((await op.tokenRequest({ ...form(await op.assertion()), client_id: op.id })).status).toBe(200);
    const twice = `${new URLSearchParams(form(await op.assertion()))}&grant_type=client_credentials`;
    const res = await gw.app.request('/auth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: twice });
    await refused(res, 'invalid_request');
  });

  it('refuses an assertion signed by an unregistered key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await refused(await op.tokenRequest(form(await op.assertion({ key: privateKey }))), 'invalid_client');
  });

  it('refuses an assertion that brings its own key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const assertion = await op.assertion({ key: privateKey, header: { jwk: await exportJWK(publicKey) } });
    await refused(await op.tokenRequest(form(assertion)), 'invalid_client');
  });

  it('refuses alg none and garbage', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = `${b64({ alg: 'none' })}.${b64({ iss: op.id, sub: op.id, aud: `${gw.config.publicUrl}/auth/token`, exp: now + 60, jti: 'n' })}.`;
    await refused(await op.tokenRequest(form(none)), 'invalid_client');
    await refused(await op.tokenRequest(form('not.a.jwt')), 'invalid_client');
  });

  it('refuses a caller outside the licence IP allowlist', async () => {
    await refused(await op.tokenRequest(form(await op.assertion()), '198.51.100.9'), 'unauthorized_client');
  });

  it('refuses bad grant types and missing fields in the OAuth format', async () => {
    await refused(await op.tokenRequest({ grant_type: 'password' }), 'unsupported_grant_type');
    await refused(await op.tokenRequest({ client_assertion: 'x' }), 'invalid_request');
    await refused(await op.tokenRequest({ grant_type: 'client_credentials' }), 'invalid_request');
    const json = await gw.app.request('/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await refused(json, 'invalid_request');
  });

  it('refuses an assertion whose sub differs from iss', async () => {
    const token = await new SignJWT({ jti: 'sub-mismatch' })
      .setProtectedHeader({ alg: 'ES256', kid: op.kid })
      .setIssuer(op.id)
      .setSubject('op_00000000-0000-0000-0000-000000000000')
      .setAudience(`${gw.config.publicUrl}/auth/token`)
      .setExpirationTime('1m')
      .sign(op.privateKey);
    await refused(await op.tokenRequest(form(token)), 'invalid_client');
  });

  it('refuses a suspended operator as an unauthenticated client (invalid_client, 401), and reinstated it is served again', async () => {
    const security = await gw.login('security', PASSWORDS.security);
    const other = await createTestOperator(gw, security, '91110000600037341L');
    const setStatus = (status: string) =>
      gw.app.request(`/security/operators/${other.id}/status`, {
        method: 'POST',
        headers: { ...security, 'content-type': 'application/json' },
        body: JSON.stringify({ status, reason: '复核' }),
      });
    expect((await setStatus('suspended')).status).toBe(200);
    await refused(await other.tokenRequest(form(await other.assertion())), 'invalid_client');
    expect((await setStatus('active')).status).toBe(200);
    expect((await other.tokenRequest(form(await other.assertion()))).status).toBe(200);
  });
});

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  it('names the issuer of the access tokens, the token endpoint and private_key_jwt', async () => {
    const res = await gw.app.request('/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      issuer: gw.config.publicUrl,
      token_endpoint: `${gw.config.publicUrl}/auth/token`,
      jwks_uri: `${gw.config.publicUrl}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    expect(meta.token_endpoint_auth_signing_alg_values_supported).toContain('ES256');
    // the access tokens' iss is the metadata's issuer, byte for byte (RFC 8414 §3.3)
    const token = (await (await op.tokenRequest(form(await op.assertion()))).json()) as { access_token: string };
    expect(JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString()).iss).toBe(meta.issuer);
    // not an OpenID Provider: no OIDC document that would have to claim ID tokens
    expect((await gw.app.request('/.well-known/openid-configuration')).status).toBe(404);
  });
});
