import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, safeDetails, storableText } from './safe-details.ts';

describe('safeDetails', () => {
  it('redacts members named like secrets at any depth, keeping the name', () => {
    expect(
      safeDetails({
        username: 'alice',
        password: 'p',
        newPassword: 'p',
        access_token: 't',
        'X-Api-Key': 'k',
        client_secret: 's',
        privateKey: 'k',
        jwk: { d: 'x' },
        nested: [{ refreshToken: 't', cookie: 'c', kid: 'key-1', keyId: 'key-1' }],
        key: 'k',
        d: 'x',
      }),
    ).toEqual({
      username: 'alice',
      password: REDACTED,
      newPassword: REDACTED,
      access_token: REDACTED,
      'X-Api-Key': REDACTED,
      client_secret: REDACTED,
      privateKey: REDACTED,
      jwk: REDACTED,
      nested: [{ refreshToken: REDACTED, cookie: REDACTED, kid: 'key-1', keyId: 'key-1' }],
      key: REDACTED,
      d: REDACTED,
    });
  });

  it('keeps ordinary names: ids, counts, fields, reasons', () => {
    for (const key of ['kid', 'keyId', 'rows', 'fields', 'reason', 'datasetCode', 'licenseId', 'status']) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });

  it('turns Dates, BigInts and non-finite numbers into JSON, drops undefined members, clips long text', () => {
    expect(safeDetails({ when: new Date(0), n: 10n, inf: Infinity, gone: undefined, long: 'x'.repeat(2000) })).toEqual({
      when: '1970-01-01T00:00:00.000Z',
      n: '10',
      inf: null,
      long: `${'x'.repeat(999)}…`,
    });
  });

  it('refuses what is not plain data, too deep or too large', () => {
    for (const bad of [
      'text',
      [1],
      new Map(),
      { b: Buffer.from('k') },
      { e: new Error('x') },
      { f: () => 1 },
      { s: Symbol('s') },
      { l1: { l2: { l3: { l4: { l5: { l6: { l7: 1 } } } } } } },
      { big: Array.from({ length: 150 }, () => 'y'.repeat(200)) },
    ]) {
      expect(() => safeDetails(bad)).toThrow(TypeError);
    }
    expect(safeDetails(undefined)).toEqual({});
  });

  it('treats __proto__ as an ordinary member, never as a prototype', () => {
    const out = safeDetails(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives -0 as 0, the way it is stored', () => {
    expect(Object.is(safeDetails({ z: -0 }).z, 0)).toBe(true);
  });

  it('always gives JSON that parses back to itself', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (input) => {
        const out = safeDetails(input);
        expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      }),
    );
  });
});

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeps pairs', () => {
    expect(storableText('a\u0000b\ud800c\udc00d😀', 100)).toBe('a\ufffdb\ufffdc\ufffdd😀');
  });
});
