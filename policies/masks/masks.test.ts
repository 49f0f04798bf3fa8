import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAddress, MASKED_ADDRESS } from './address.ts';
import { MASKED_BANK_CARD, MASKED_USCC, maskBankCard, maskUscc } from './codes.ts';
import { MASKED_EMAIL, MASKED_MOBILE, maskEmail, maskMobile } from './contact.ts';
import { ageBand, birthDateToAgeBand, bucketer, generalizeDateToMonth, generalizeDateToYear, grouper, parseAsOf, roundTo } from './generalize.ts';
import { maskName } from './name.ts';
import { MASKED_RESIDENT_ID, maskResidentId } from './resident-id.ts';

const digits = (min: number, max = min) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const USCC_CHARS = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'];
const han = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 });

/** A masked value must not change when only the protected part of the input changes: it cannot contain it. */
describe('maskResidentId', () => {
  it('keeps region and birth year, and nothing of the rest (month, day, sequence, check)', () => {
    fc.assert(
      fc.property(digits(10), digits(7), digits(7), fc.constantFrom('0', '5', 'X'), fc.constantFrom('1', '9', 'x'), (kept, a, b, c1, c2) => {
        const one = maskResidentId(kept + a + c1);
        expect(one).toBe(`${kept}********`);
        expect(maskResidentId(kept + b + c2)).toBe(one);
      }),
    );
  });

  it('writes 15-digit IDs in the 18-character form and masks anything else completely', () => {
    expect(maskResidentId('110105491231002')).toBe('1101051949********');
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const m = maskResidentId(s);
        expect(m.length).toBe(18);
        if (!/^\d{17}[\dXx]$/.test(s) && !/^\d{15}$/.test(s)) expect(m).toBe(MASKED_RESIDENT_ID);
      }),
    );
  });
});

describe('maskMobile', () => {
  it('keeps 3 + 4 digits (138****5678) whatever the middle four are', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+8613812345678')).toBe('138****5678');
    fc.assert(
      fc.property(digits(2), digits(4), digits(4), digits(4), (head, mid1, mid2, tail) => {
        expect(maskMobile(`1${head}${mid1}${tail}`)).toBe(`1${head}****${tail}`);
        expect(maskMobile(`1${head}${mid2}${tail}`)).toBe(maskMobile(`1${head}${mid1}${tail}`));
      }),
    );
  });

  it('masks anything that is not a mainland mobile number completely', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (s) => {
        if (!/^(\+?86)?1\d{10}$/.test(s)) expect(maskMobile(s)).toBe(MASKED_MOBILE);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the surname, never a character of the given name, and hides its length', () => {
    fc.assert(
      fc.property(fc.constantFrom('王', '李', '张', '欧阳', '司马', '诸葛'), han, han, (surname, given1, given2) => {
        // A single-character surname followed by a character that would form a compound surname is not this case.
        fc.pre(surname.length === 2 || !['欧阳', '司马', '诸葛', '上官', '东方', '皇甫'].includes(surname + given1.charAt(0)));
        fc.pre(surname.length === 2 || !['欧阳', '司马', '诸葛', '上官', '东方', '皇甫'].includes(surname + given2.charAt(0)));
        expect(maskName(surname + given1)).toBe(`${surname}*`);
        expect(maskName(surname + given2)).toBe(`${surname}*`);
      }),
    );
  });

  it('handles names without a Han surname and degenerate names', () => {
    expect(maskName('买买提·艾力')).toBe('买*');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('*');
    expect(maskName('𠮷野家')).toBe('𠮷*');
  });
});

describe('maskBankCard', () => {
  it('keeps the last 4 digits only, behind a fixed mask that hides the length', () => {
    fc.assert(
      fc.property(digits(8, 15), digits(8, 15), digits(4), (a, b, last4) => {
        expect(maskBankCard(a + last4)).toBe(`************${last4}`);
        expect(maskBankCard(b + last4)).toBe(maskBankCard(a + last4));
      }),
    );
    expect(maskBankCard('6222 0212 3456 7890')).toBe('************7890');
    expect(maskBankCard('1234')).toBe(MASKED_BANK_CARD);
  });
});

describe('maskUscc', () => {
  it('keeps authority, type and region, and nothing of the organisation code or check character', () => {
    const body = fc.string({ unit: fc.constantFrom(...USCC_CHARS), minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(fc.constantFrom('91', '11', '52', 'Y1'), digits(6), body, body, (head, region, a, b) => {
        expect(maskUscc(head + region + a)).toBe(`${head}${region}**********`);
        expect(maskUscc(head + region + b)).toBe(maskUscc(head + region + a));
      }),
    );
    expect(maskUscc('91330106MA2B0XXXX7'.replace('X', 'I'))).toBe(MASKED_USCC);
  });
});

describe('maskEmail', () => {
  it('keeps the first character of the local part and the domain', () => {
    const local = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._'), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(fc.constantFrom(...'abcxyz'), local, local, (first, rest1, rest2) => {
        expect(maskEmail(`${first}${rest1}@example.cn`)).toBe(`${first}***@example.cn`);
        expect(maskEmail(`${first}${rest2}@example.cn`)).toBe(maskEmail(`${first}${rest1}@example.cn`));
      }),
    );
    expect(maskEmail('a@example.cn')).toBe('***@example.cn');
    expect(maskEmail('no-at-sign')).toBe(MASKED_EMAIL);
    expect(maskEmail('a@b@c')).toBe(MASKED_EMAIL);
  });
});

describe('maskAddress', () => {
  it('truncates to the district or street, written in full, dropping road, number and flat', () => {
    const address = '广东省深圳市南山区粤海街道科技南路18号A座1203室';
    expect(maskAddress(address, 'district')).toBe('广东省深圳市南山区');
    expect(maskAddress(address, 'street')).toBe('广东省深圳市南山区粤海街道');
    expect(maskAddress('深圳市南山区粤海街道科技南路18号', 'district')).toBe('广东省深圳市南山区');
    expect(maskAddress('北京市朝阳区建外街道建国路1号', 'street')).toBe('北京市朝阳区建外街道');
    expect(maskAddress('河南省济源市沁园街道济水大街1号', 'district')).toBe('河南省济源市');
    expect(maskAddress('广东省东莞市南城街道鸿福路1号', 'street')).toBe('广东省东莞市南城街道');
    // No known street after the district: the district, never more.
    expect(maskAddress('广东省深圳市南山区科技南路18号', 'street')).toBe('广东省深圳市南山区');
  });

  it('never keeps anything after the division names, and fails closed on unknown formats', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (detail) => {
        const out = maskAddress(`广东省深圳市南山区粤海街道${detail}`, 'street');
        expect(['广东省深圳市南山区粤海街道', '广东省深圳市南山区']).toContain(out);
      }),
    );
    expect(maskAddress('朝阳区建外街道建国路1号', 'district')).toBe(MASKED_ADDRESS);
    expect(maskAddress('Room 1, 1 Main Street', 'street')).toBe(MASKED_ADDRESS);
  });
});

describe('generalizing masks', () => {
  it('dates go to the year or the month, never finer', () => {
    expect(generalizeDateToYear('1990-06-15')).toBe(1990);
    expect(generalizeDateToMonth('1990-06-15')).toBe('1990-06');
    expect(generalizeDateToMonth('1990-13-01')).toBeNull();
    expect(generalizeDateToYear('June 1990')).toBeNull();
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 28 }), (d, day) => {
        const iso = d.toISOString().slice(0, 10);
        const other = `${iso.slice(0, 8)}${String(day).padStart(2, '0')}`;
        expect(generalizeDateToMonth(other)).toBe(generalizeDateToMonth(iso));
        expect(generalizeDateToYear(iso)).toBe(d.getUTCFullYear());
      }),
    );
  });

  it('age bands come from the exact age on the asOf day and top-code at 90', () => {
    const asOf = parseAsOf('2024-05-31');
    expect(birthDateToAgeBand('1990-05-31', asOf, 10)).toBe('30-39');
    expect(birthDateToAgeBand('1994-06-01', asOf, 5)).toBe('25-29');
    expect(birthDateToAgeBand('1930-01-01', asOf, 5)).toBe('90+');
    expect(birthDateToAgeBand('2030-01-01', asOf, 5)).toBeNull();
    expect(() => parseAsOf('31.05.2024')).toThrow(TypeError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (age) => {
        const b5 = ageBand(age, 5);
        const b10 = ageBand(age, 10);
        expect(b5 === '90+' || (age >= Number(b5.split('-')[0]) && age <= Number(b5.split('-')[1]))).toBe(true);
        expect(b10 === '90+' || (age >= Number(b10.split('-')[0]) && age <= Number(b10.split('-')[1]))).toBe(true);
      }),
    );
  });

  it('money is rounded to the base or bucketed, deterministically', () => {
    expect(roundTo(12345.67, 1000)).toBe(12000);
    expect(roundTo(-1500, 1000)).toBe(-2000);
    expect(roundTo(0.35, 0.1)).toBe(0.4);
    expect(roundTo(Number.NaN, 10)).toBeNull();
    const bucket = bucketer([0, 10, 50]);
    expect([bucket(-1), bucket(0), bucket(9.99), bucket(10), bucket(50), bucket(1e9)]).toEqual(['<0', '[0,10)', '[0,10)', '[10,50)', '≥50', '≥50']);
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constantFrom(1, 10, 100, 1000), (x, base) => {
        const r = roundTo(x, base) as number;
        expect(Math.abs(r - x)).toBeLessThanOrEqual(base / 2 + 1e-6);
        expect(Math.abs(r % base)).toBe(0);
        expect(roundTo(x, base)).toBe(r);
      }),
    );
  });

  it('categories are grouped, unknown values go to the other group', () => {
    const group = grouper({ 汉族: ['汉族'] }, '少数民族');
    expect(group('汉族')).toBe('汉族');
    expect(group('回族')).toBe('少数民族');
    expect(group('')).toBe('少数民族');
  });
});
