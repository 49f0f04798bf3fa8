import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSm3, sm3 } from './sm3.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (s: string) => new TextEncoder().encode(s);
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('sm3', () => {
  it('matches the examples of GB/T 32905-2016 (appendix A)', () => {
    expect(hex(sm3(bytes('abc')))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(hex(sm3(bytes('abcd'.repeat(16))))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('agrees with node:crypto (OpenSSL) on any input, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hex(sm3(data))).toBe(createHash('sm3').update(data).digest('hex'));
      }),
    );
  });
});

describe('hmacSm3', () => {
  // GM/T 0042-2015 appendix D.3.
  const vectors = [
    {
      key: range(1, 32),
      message: bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'.repeat(2)),
      mac: 'ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a',
    },
    { key: range(1, 37), message: new Uint8Array(50).fill(0xcd), mac: '220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae' },
    { key: new Uint8Array(32).fill(0x0b), message: bytes('Hi There'), mac: 'c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e' },
    { key: bytes('Jefe'), message: bytes('what do ya want for nothing?'), mac: '2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882' },
  ];

  it.each(vectors.map((v, i) => [i + 1, v] as const))('matches GM/T 0042-2015 D.3 vector %i', (_i, v) => {
    expect(hex(hmacSm3(v.key).mac(v.message))).toBe(v.mac);
    // hex128 hashes a string's UTF-8, so only the ASCII messages can be given as strings.
    if (v.message.every((b) => b < 0x80)) expect(hmacSm3(v.key).hex128(Buffer.from(v.message).toString('ascii'))).toBe(v.mac.slice(0, 32));
  });

  it('agrees with node:crypto on any key and message, including keys longer than a block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, data) => {
        expect(hex(hmacSm3(key).mac(data))).toBe(createHmac('sm3', key).update(data).digest('hex'));
      }),
    );
  });

  it('hex128 of a string is the first half of the MAC of its UTF-8, on both the short ASCII path and the general one', () => {
    const key = range(1, 32);
    const mac = hmacSm3(key);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (s) => {
        expect(mac.hex128(s)).toBe(createHmac('sm3', key).update(s, 'utf8').digest('hex').slice(0, 32));
      }),
    );
    for (const n of [0, 1, 3, 4, 55, 56, 63, 64, 65]) {
      const s = 'x'.repeat(n);
      expect(mac.hex128(s)).toBe(createHmac('sm3', key).update(s).digest('hex').slice(0, 32));
    }
  });
});
