import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT_THRESHOLD } from '../identity/staff.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

const login = (username: string, password: string) =>
  gw.app.request('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

describe('POST /auth/login', () => {
  it('issues a 15-minute bearer token for the right password', async () => {
    const res = await login('steward', PASSWORDS.steward);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  });

  it('answers a wrong password and an unknown user alike, without echoing either', async () => {
    const wrong = await login('steward', 'not-the-password');
    const unknown = await login('nobody', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [(await wrong.json()) as { detail: string }, (await unknown.json()) as { detail: string }];
    expect(a.detail).toBe(b.detail);
    expect(JSON.stringify(a)).not.toContain('not-the-password');
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    await gw.addStaff('lockme', 'steward', null);
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) expect((await login('lockme', 'wrong')).status).toBe(401);
    const locked = await login('lockme', 'lockme-password-1');
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('ACCOUNT_LOCKED');
  });

  it('refuses malformed bodies with 4xx, never 500', async () => {
    const res = await gw.app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":1}' });
    expect(res.status).toBe(422);
  });
});

describe('bearer tokens on staff routes', () => {
  it('refuses a token whose payload was edited after signing', async () => {
    const { authorization } = await gw.login('steward', PASSWORDS.steward);
    const [h, p, s] = authorization!.slice(7).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, role: 'security' })).toString('base64url');
    const res = await gw.app.request('/steward/datasets', { headers: { authorization: `Bearer ${h}.${edited}.${s}` } });
    expect(res.status).toBe(401);
  });

  it('refuses alg none, a foreign key, embedded jwk headers and oversized tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: gw.config.publicUrl, aud: gw.config.publicUrl, sub: 'x', role: 'security', jti: 'j', iat: now, exp: now + 60 };
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(claims)}.`;
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'unknown' }).sign(privateKey);
    const { exportJWK } = await import('jose');
    const embedded = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const huge = `${enc({ alg: 'ES256' })}.${'a'.repeat(9000)}.x`;
    for (const token of [none, foreign, embedded, huge]) {
      const res = await gw.app.request('/steward/datasets', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(token.slice(0, 40));
    }
  });
});
