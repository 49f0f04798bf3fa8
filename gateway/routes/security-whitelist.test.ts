import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, VALID_USCC, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let security: Record<string, string>;
let steward: Record<string, string>;
let op: TestOperator;

const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  gw.app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  steward = await gw.login('steward', PASSWORDS.steward);
  op = await createTestOperator(gw, security);
});
afterAll(() => gw.close());

describe('operator whitelist', () => {
  it('audits a registration with the operator as it was after, and no private key material', async () => {
    const entries = await listAudit(gw.services.database.db, { action: 'whitelist.operator.registered' }, { limit: 10 });
    const entry = entries.items.find((e) => e.resource === `operator:${op.id}`);
    expect(entry?.details).toMatchObject({ before: null, after: { id: op.id, uscc: VALID_USCC, status: 'active' } });
    expect(JSON.stringify(entry)).not.toMatch(/"d":/);
  });

  it('refuses a bad credit code, a private key, and a duplicate registration', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const base = { name: '测试公司', contact: { name: '李四', email: 'a@b.cn', phone: '010-12345678' } };
    const badUscc = await send('POST', '/security/operators', security, { ...base, uscc: '91350100M000100Y44', jwks: { keys: [await exportJWK(publicKey)] } });
    expect(badUscc.status).toBe(422);
    expect(JSON.stringify(await badUscc.json())).toContain('uscc');
    const privateJwk = await send('POST', '/security/operators', security, { ...base, uscc: '91110108MA01ABCD1X'.slice(0, 17) + 'X', jwks: { keys: [await exportJWK(privateKey)] } });
    expect([422]).toContain(privateJwk.status);
    const rsa = await send('POST', '/security/operators', security, { ...base, uscc: '91110000600037341L', jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] } });
    expect(rsa.status).toBe(422);
    const dup = await send('POST', '/security/operators', security, { ...base, uscc: VALID_USCC, jwks: { keys: [await exportJWK(publicKey)] } });
    expect(dup.status).toBe(409);
  });

  it('keeps the whitelist from stewards and operators', async () => {
    expect((await send('GET', '/security/operators', steward)).status).toBe(403);
    expect((await send('POST', `/security/operators/${op.id}/status`, steward, { status: 'suspended', reason: 'x1' })).status).toBe(403);
    expect((await send('GET', '/security/operators', {})).status).toBe(401);
  });

  it('lists and shows operators with keys and licences', async () => {
    const list = (await (await send('GET', '/security/operators', security)).json()) as { items: { id: string; licenses: unknown[] }[] };
    expect(list.items.map((o) => o.id)).toContain(op.id);
    const shown = (await (await send('GET', `/security/operators/${op.id}`, security)).json()) as { keys: { kid: string }[]; licenses: { id: string }[] };
    expect(shown.keys.map((k) => k.kid)).toEqual([op.kid]);
    expect(shown.licenses.map((l) => l.id)).toEqual([op.licenseId]);
    expect((await send('GET', '/security/operators/op_nope', security)).status).toBe(404);
  });

  it('adds and retires keys; a retired key no longer gets tokens', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const added = await send('POST', `/security/operators/${op.id}/keys`, security, { jwk: { ...(await exportJWK(publicKey)), kid: 'ed-1' } });
    expect(added.status).toBe(201);
    expect((await send('POST', `/security/operators/${op.id}/keys`, security, { jwk: { ...(await exportJWK(publicKey)), kid: 'ed-1' } })).status).toBe(409);
    expect((await send('DELETE', `/security/operators/${op.id}/keys/ed-1`, security)).status).toBe(200);
    expect((await send('DELETE', `/security/operators/${op.id}/keys/ed-1`, security)).status).toBe(404);
  });

  it('refuses a licence naming unknown datasets or fields, and an inverted validity window', async () => {
    const licence = {
      scenario: '测试',
      datasets: [{ code: 'population', fields: ['no_such_field'], operations: ['aggregate'] }],
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00Z',
      ipAllowlist: ['10.0.0.0/8'],
      privacyBudget: { epsilon: 1 },
      maxJobsPerDay: 5,
    };
    const unknownField = await send('POST', `/security/operators/${op.id}/licenses`, security, licence);
    expect(unknownField.status).toBe(422);
    const inverted = await send('POST', `/security/operators/${op.id}/licenses`, security, { ...licence, datasets: [{ code: 'population', fields: ['sex'], operations: ['aggregate'] }], validTo: '2025-01-01T00:00:00Z' });
    expect(inverted.status).toBe(422);
    const badCidr = await send('POST', `/security/operators/${op.id}/licenses`, security, { ...licence, ipAllowlist: ['10.0.0.0/33'] });
    expect(badCidr.status).toBe(422);
  });

  it('records the before and after of a licence change, and makes revocation final', async () => {
    const changed = await send('PATCH', `/security/licenses/${op.licenseId}`, security, { maxJobsPerDay: 7 });
    expect(changed.status).toBe(200);
    const audit = await listAudit(gw.services.database.db, { action: 'whitelist.license.changed' }, { limit: 5 });
    expect(audit.items[0]?.details).toMatchObject({ changed: { maxJobsPerDay: { before: 20, after: 7 } } });
    expect((await send('PATCH', `/security/licenses/${op.licenseId}`, security, { status: 'revoked' })).status).toBe(422);
    expect((await send('PATCH', `/security/licenses/${op.licenseId}`, security, { status: 'revoked', reason: '合同终止' })).status).toBe(200);
    expect((await send('PATCH', `/security/licenses/${op.licenseId}`, security, { status: 'active', reason: '恢复' })).status).toBe(409);
  });
});
