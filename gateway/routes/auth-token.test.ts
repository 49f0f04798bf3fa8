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

async function refused(res: Response, error: string) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
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
    await refused(await op.tokenRequest(form(assertion)), 'invalid_grant');
  });

  it('refuses an assertion for another audience', async () => {
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { aud: 'https://other.example/auth/token' } }))), 'invalid_grant');
  });

  it('refuses an assertion that lives longer than 5 minutes', async () => {
    await refused(await op.tokenRequest(form(await op.assertion({ expiresIn: '30m' }))), 'invalid_grant');
  });

  it('refuses an expired assertion', async () => {
    const past = Math.floor(Date.now() / 1000) - 600;
    await refused(await op.tokenRequest(form(await op.assertion({ claims: { exp: past, iat: past - 60 } }))), 'invalid_grant');
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
    await refused(await op.tokenRequest(form(token)), 'invalid_grant');
  });
});
