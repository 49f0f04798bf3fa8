// The refusal list of issue 3: every bad token is a 401/403 problem, never a 500 and never accepted.
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let security: Record<string, string>;

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  op = await createTestOperator(gw, security);
});
afterAll(() => gw.close());

/** An access token signed with the gateway's own current key, with claims as given (defaults: a valid operator token). */
async function gatewaySigned(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { kid, key } = await gw.services.keys.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: gw.config.publicUrl, aud: gw.config.publicUrl, sub: op.id, role: 'operator', licenses: [op.licenseId], jti: randomUUID(), iat: now, exp: now + 600, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header }).sign(key);
}

async function expectRefused(token: string, path = '/operator/datasets', status = 401) {
  const res = await op.request(path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const text = await res.text();
  expect(text).not.toContain(token.slice(-20));
}

describe('access tokens the gateway refuses', () => {
  it('accepts the control: a valid operator token', async () => {
    const res = await op.request('/operator/datasets', { headers: { authorization: `Bearer ${await gatewaySigned({})}` } });
    expect(res.status).toBe(200);
  });
  it('alg none', async () => {
    const token = await gatewaySigned({});
    const [, payload] = token.split('.');
    await expectRefused(`${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`);
  });
  it('HS256 signed with the public key as the HMAC secret', async () => {
    const { keys } = await gw.services.keys.jwks();
    const pub = JSON.stringify(keys[0]);
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'HS256', typ: 'at+jwt', kid: keys[0]!.kid });
    const body = b64({ iss: gw.config.publicUrl, aud: gw.config.publicUrl, sub: op.id, role: 'operator', jti: 'x', iat: now, exp: now + 60 });
    const sig = createHmac('sha256', pub).update(`${head}.${body}`).digest('base64url');
    await expectRefused(`${head}.${body}.${sig}`);
  });
  it('unknown kid', async () => expectRefused(await gatewaySigned({}, { kid: 'no-such-key' })));
  it('embedded jwk header', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: gw.config.publicUrl, aud: gw.config.publicUrl, sub: op.id, role: 'operator', jti: 'x', iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    await expectRefused(token);
  });
  it('jku header', async () => expectRefused(await gatewaySigned({}, { jku: 'https://attacker.example/jwks.json' })));
  it('x5u header', async () => expectRefused(await gatewaySigned({}, { x5u: 'https://attacker.example/cert.pem' })));
  it('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await gatewaySigned({ iat: now - 900, exp: now - 120 }));
  });
  it('not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await gatewaySigned({ nbf: now + 600, iat: now }));
  });
  it('wrong iss', async () => expectRefused(await gatewaySigned({ iss: 'https://other.example' })));
  it('wrong aud', async () => expectRefused(await gatewaySigned({ aud: 'https://other.example' })));
  it('missing sub', async () => expectRefused(await gatewaySigned({ sub: undefined })));
  it('missing exp', async () => expectRefused(await gatewaySigned({ exp: undefined })));
  it('a payload edited after signing', async () => {
    const [h, , s] = (await gatewaySigned({})).split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = b64({ iss: gw.config.publicUrl, aud: gw.config.publicUrl, sub: op.id, role: 'security', jti: 'x', iat: now, exp: now + 600 });
    await expectRefused(`${h}.${forged}.${s}`, '/operator/datasets');
  });
  it('a token over 8 KB', async () => expectRefused(await gatewaySigned({ padding: 'x'.repeat(9000) })));
  it('an operator token on a staff route', async () => {
    const res = await op.request('/security/operators', { headers: await op.bearer() });
    expect(res.status).toBe(403);
  });
  it('a staff token on an operator route', async () => {
    const res = await op.request('/operator/datasets', { headers: security });
    expect(res.status).toBe(403);
  });
  it('a token of a suspended operator (suspended while the token is live)', async () => {
    const other = await createTestOperator(gw, security, '91110000600037341L');
    const bearer = await other.bearer();
    expect((await other.request('/operator/datasets', { headers: bearer })).status).toBe(200);
    const suspend = await gw.app.request(`/security/operators/${other.id}/status`, {
      method: 'POST',
      headers: { ...security, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'suspended', reason: '异常调用' }),
    });
    expect(suspend.status).toBe(200);
    expect((await other.request('/operator/datasets', { headers: bearer })).status).toBe(403);
  });
  it('a token whose licence was revoked while it is live', async () => {
    const bearer = await op.bearer();
    const revoke = await gw.app.request(`/security/licenses/${op.licenseId}`, {
      method: 'PATCH',
      headers: { ...security, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'suspended', reason: '复核中' }),
    });
    expect(revoke.status).toBe(200);
    expect((await op.request('/operator/datasets', { headers: bearer })).status).toBe(403);
    await gw.app.request(`/security/licenses/${op.licenseId}`, {
      method: 'PATCH',
      headers: { ...security, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'active', reason: '复核通过' }),
    });
    expect((await op.request('/operator/datasets', { headers: bearer })).status).toBe(200);
  });
});
