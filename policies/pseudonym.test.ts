import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPseudonymizer, derivePseudonymKey } from './pseudonym.ts';

const master = new Uint8Array(32).fill(0x5a);
const residentId = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 }).map((s) => `${s}X`);

describe('keyed pseudonyms (HMAC-SM3 under a key per licence)', () => {
  it('are the first 128 bits of HMAC-SM3 under the licence key, in hex', () => {
    const key = derivePseudonymKey(master, 'L-2024-001');
    expect(createPseudonymizer(key)('110105194912310021')).toBe(createHmac('sm3', key).update('110105194912310021').digest('hex').slice(0, 32));
    expect(Buffer.from(key).toString('hex')).toBe(
      createHmac('sm3', master).update('gov-data-platform/pseudonym-key/v1\u0000L-2024-001').digest('hex'),
    );
  });

  it('agree within one licence, across jobs (a new pseudonymizer from the same key)', () => {
    const key = derivePseudonymKey(master, 'L-1');
    fc.assert(
      fc.property(residentId, (id) => {
        expect(createPseudonymizer(derivePseudonymKey(master, 'L-1'))(id)).toBe(createPseudonymizer(key)(id));
      }),
    );
  });

  it('differ across licences, so two operators cannot match their pseudonyms', () => {
    fc.assert(
      fc.property(residentId, fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (id, l1, l2) => {
        fc.pre(l1 !== l2);
        expect(createPseudonymizer(derivePseudonymKey(master, l1))(id)).not.toBe(createPseudonymizer(derivePseudonymKey(master, l2))(id));
      }),
    );
  });

  it('never contain the value, and distinct values get distinct pseudonyms', () => {
    const p = createPseudonymizer(derivePseudonymKey(master, 'L-1'));
    fc.assert(
      fc.property(residentId, residentId, (a, b) => {
        expect(p(a)).toMatch(/^[0-9a-f]{32}$/);
        expect(p(a).includes(a.slice(0, 6))).toBe(false);
        if (a !== b) expect(p(a)).not.toBe(p(b));
      }),
    );
  });

  it('refuse short keys and empty licence ids', () => {
    expect(() => createPseudonymizer(new Uint8Array(8))).toThrow(TypeError);
    expect(() => derivePseudonymKey(new Uint8Array(8), 'L-1')).toThrow(TypeError);
    expect(() => derivePseudonymKey(master, '')).toThrow(TypeError);
  });
});
