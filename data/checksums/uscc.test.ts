import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidOrganizationCode, organizationCodeCheckChar } from './organization-code.ts';
import { composeUscc, isValidUscc, USCC_CHARSET, usccCheckChar } from './uscc.ts';

const usccChar = fc.integer({ min: 0, max: USCC_CHARSET.length - 1 }).map((i) => USCC_CHARSET.charAt(i));
const prefix17 = fc.array(usccChar, { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts a published code and computes its check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('rejects wrong check characters, letters outside the charset, lower case and bad lengths', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    expect(isValidUscc('91350100I000100Y43')).toBe(false); // I is not in the charset
    expect(() => usccCheckChar('91350100O000100Y4')).toThrow(RangeError);
  });

  it('validates every code built with its check character', () => {
    fc.assert(fc.property(prefix17, (p) => isValidUscc(p + usccCheckChar(p))));
  });

  it('detects any single changed character (mod 31 with non-zero weights catches all substitutions)', () => {
    fc.assert(
      fc.property(prefix17, fc.integer({ min: 0, max: 17 }), usccChar, (p, pos, c) => {
        const code = p + usccCheckChar(p);
        fc.pre(c !== code[pos]);
        return !isValidUscc(code.slice(0, pos) + c + code.slice(pos + 1));
      }),
    );
  });

  it('composes codes whose embedded organisation code is valid too', () => {
    const code = composeUscc('91', '350100', 'M000100Y');
    expect(code).toBe('91350100M000100Y43');
    fc.assert(
      fc.property(fc.array(usccChar, { minLength: 8, maxLength: 8 }), (body) => {
        const c = composeUscc('91', '110105', body.join(''));
        return isValidUscc(c) && isValidOrganizationCode(c.slice(8, 17));
      }),
    );
    expect(() => composeUscc('91', '11010', '12345678')).toThrow(RangeError);
  });
});

describe('organisation code (GB 11714-1997)', () => {
  it('computes check characters including X and 0', () => {
    expect(organizationCodeCheckChar('D2143569')).toBe('X');
    expect(isValidOrganizationCode('D2143569X')).toBe(true);
    expect(isValidOrganizationCode('M000100Y4')).toBe(true);
    expect(isValidOrganizationCode('D21435691')).toBe(false);
    // sum = 1*3 = 3 -> 11 - 3 = 8; sum 0 -> 11 is written 0.
    expect(organizationCodeCheckChar('10000000')).toBe('8');
    expect(organizationCodeCheckChar('00000000')).toBe('0');
  });

  it('detects a changed digit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 9 }),
        (body, pos, d) => {
          fc.pre(body[pos] !== d);
          const code = body.join('') + organizationCodeCheckChar(body.join(''));
          return !isValidOrganizationCode(code.slice(0, pos) + String(d) + code.slice(pos + 1));
        },
      ),
    );
  });
});
