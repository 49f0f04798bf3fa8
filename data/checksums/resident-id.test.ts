import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth } from '../calendar.ts';
import { isValidResidentId, residentIdBirthDate, residentIdCheckChar, residentIdSex } from './resident-id.ts';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** 17-digit prefixes with a real birth date between 1900 and 2099. */
const prefix17 = fc
  .record({
    region: digits(6),
    year: fc.integer({ min: 1900, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    serial: digits(3),
  })
  .map(({ region, year, month, day, serial }) => {
    const d = Math.min(day, daysInMonth(year, month));
    return `${region}${year}${String(month).padStart(2, '0')}${String(d).padStart(2, '0')}${serial}`;
  });

describe('resident ID (GB 11643-1999)', () => {
  it('accepts the examples published with the standard', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(isValidResidentId('440524188001010014')).toBe(true);
  });

  it('rejects wrong check characters, lower-case x, bad lengths and impossible dates', () => {
    expect(isValidResidentId('110105194912310020')).toBe(false);
    expect(isValidResidentId('11010519491231002x')).toBe(false);
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('11010519491231002X0')).toBe(false);
    // 1949-02-30 does not exist; give it the check digit it would need so only the date is wrong.
    const noDate = '11010519490230002';
    expect(isValidResidentId(noDate + residentIdCheckChar(noDate))).toBe(false);
    const feb29 = '11010520000229002'; // 2000 was a leap year, 1900 was not
    expect(isValidResidentId(feb29 + residentIdCheckChar(feb29))).toBe(true);
    const feb29b = '11010519000229002';
    expect(isValidResidentId(feb29b + residentIdCheckChar(feb29b))).toBe(false);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });

  it('decodes birth date and sex', () => {
    expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(residentIdSex('11010519491231002X')).toBe('女');
    expect(residentIdSex('440524188001010014')).toBe('男');
  });

  it('validates every ID built with its check character', () => {
    fc.assert(fc.property(prefix17, (p) => isValidResidentId(p + residentIdCheckChar(p))));
  });

  it('detects any single changed character', () => {
    const chars = [...'0123456789X'];
    fc.assert(
      fc.property(prefix17, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 10 }), (p, pos, k) => {
        const id = p + residentIdCheckChar(p);
        const replacement = chars[k] as string;
        fc.pre(replacement !== id[pos]);
        return !isValidResidentId(id.slice(0, pos) + replacement + id.slice(pos + 1));
      }),
    );
  });
});
