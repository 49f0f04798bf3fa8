import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { issueAccessToken, verifyAccessToken } from './access-tokens.ts';
import { SigningKeys } from './signing-keys.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('SigningKeys.rotate', () => {
  it('signs with the new key while tokens of the previous key keep verifying, and both are published', async () => {
    const keys = new SigningKeys(t.database.db);
    await keys.ensureKey();
    const before = await issueAccessToken(keys, 'https://gw', { sub: 's1', role: 'steward' });
    const oldKid = JSON.parse(Buffer.from(before.access_token.split('.')[0]!, 'base64url').toString()).kid;
    const newKid = await keys.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await issueAccessToken(keys, 'https://gw', { sub: 's1', role: 'steward' });
    expect(JSON.parse(Buffer.from(after.access_token.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);
    expect((await verifyAccessToken(keys, 'https://gw', before.access_token)).sub).toBe('s1');
    expect((await verifyAccessToken(keys, 'https://gw', after.access_token)).sub).toBe('s1');
    expect((await keys.jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
  });

  it('lets another process see a rotation through an unknown kid', async () => {
    const a = new SigningKeys(t.database.db);
    const b = new SigningKeys(t.database.db);
    await a.ensureKey();
    await b.jwks();
    await a.rotate();
    const token = await issueAccessToken(a, 'https://gw', { sub: 's2', role: 'security' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await verifyAccessToken(b, 'https://gw', token.access_token)).sub).toBe('s2');
  });
});
