import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../store/index.ts';
import { ageHierarchy, categoryHierarchy, dateHierarchy, numberHierarchy, regionHierarchy, type Hierarchy } from './hierarchies.ts';
import { generalizeRegion, regionName } from './regions.ts';

const date = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .chain((d) => {
    const iso = d.toISOString();
    return fc.constantFrom<FieldValue>(iso.slice(0, 10), iso.slice(0, 7), iso.slice(0, 4), d.getUTCFullYear());
  });
const age = fc.oneof(
  fc.integer({ min: 0, max: 110 }),
  fc.integer({ min: 0, max: 110 }).map((a) => {
    const low = Math.floor(a / 5) * 5;
    return a >= 90 ? '90+' : `${low}-${low + 4}`;
  }),
);
// Real and unknown codes at every granularity: streets, counties, cities, provinces, 直辖市, 省直辖, 东莞.
const region = fc.constantFrom<FieldValue>(
  '110105001', '110105', '110100', '110000', '440305', '440300', '440000', '441900', '441900003', '429004', '429021',
  '419001', '650000', '659001', '330424', '330424105', '449999', '999999', 'abcdef', '12', null,
);
const money = fc.oneof(fc.integer({ min: -1e6, max: 1e7 }), fc.double({ min: -1e6, max: 1e7, noNaN: true }));
const category = fc.constantFrom<FieldValue>('未上过学', '小学', '初中', '高中', '大学本科', '博士研究生', '其他', null);

const cases: Array<[string, Hierarchy, fc.Arbitrary<FieldValue>]> = [
  ['date', dateHierarchy, date],
  ['age', ageHierarchy, age],
  ['region', regionHierarchy, region],
  ['number', numberHierarchy([1000, 10000, 100000]), money],
  ['category', categoryHierarchy(), category],
  ['category with groups', categoryHierarchy({ 初中及以下: ['未上过学', '小学', '初中'], 大学: ['大学本科'] }), category],
];

describe('generalization hierarchies', () => {
  it.each(cases)('%s: never yields a finer value (values equal at one level stay equal at every coarser level)', (_name, h, values) => {
    fc.assert(
      fc.property(values, values, fc.nat(h.levels.length - 1), fc.nat(h.levels.length - 1), (x, y, l1, l2) => {
        const [a, b] = l1 <= l2 ? [l1, l2] : [l2, l1];
        if (h.generalize(x, a) === h.generalize(y, a)) expect(h.generalize(x, b)).toBe(h.generalize(y, b));
      }),
    );
  });

  it.each(cases)('%s: level 0 is the value itself, the top level suppresses it, null stays null', (_name, h, values) => {
    fc.assert(
      fc.property(values, (x) => {
        expect(h.generalize(x, 0)).toBe(x);
        expect(h.generalize(x, h.levels.length - 1)).toBe(x === null ? null : '*');
        for (let l = 0; l < h.levels.length; l++) if (x === null) expect(h.generalize(x, l)).toBeNull();
      }),
    );
  });

  it('dates: month, year, 5 and 10 years', () => {
    expect(dateHierarchy.levels.map((_, l) => dateHierarchy.generalize('1987-06-15', l))).toEqual(['1987-06-15', '1987-06', '1987', '1985-1989', '1980-1989', '*']);
  });

  it('ages: bands of 5, 10, 20 years, top-coded', () => {
    expect(ageHierarchy.levels.map((_, l) => ageHierarchy.generalize(93, l))).toEqual([93, '90+', '90+', '80+', '*']);
    expect(ageHierarchy.generalize('30-34', 2)).toBe('30-39');
    expect(ageHierarchy.generalize('30-39', 1)).toBe('30-39');
  });

  it('regions follow the real division data (直辖市, 省直辖县级, cities without districts)', () => {
    expect(regionHierarchy.levels.map((_, l) => regionHierarchy.generalize('440305001', l))).toEqual(['440305001', '440305', '440300', '440000', '*']);
    expect(generalizeRegion('110105', 'city')).toBe('110000');
    expect(generalizeRegion('429004', 'city')).toBe('429000');
    expect(generalizeRegion('441900', 'city')).toBe('441900');
    expect(generalizeRegion('449999', 'city')).toBe('440000'); // unknown county of a known province: coarser, never finer
    expect(generalizeRegion('999999', 'province')).toBe('*');
    expect(regionName('440305')).toBe('广东省深圳市南山区');
    expect(regionName('110000')).toBe('北京市');
  });
});
