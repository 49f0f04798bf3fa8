import { describe, expect, it } from 'vitest';
import {
  cities,
  cityOfCounty,
  counties,
  divisionName,
  provinceOfCounty,
  provinces,
  residentCountyTable,
  streets,
  streetsOfCounty,
} from './divisions.ts';
import { Random } from './random.ts';

describe('divisions', () => {
  it('loads the mainland divisions with 6-digit and 9-digit codes', () => {
    expect(provinces()).toHaveLength(31);
    expect(cities().length).toBeGreaterThan(330);
    expect(counties().length).toBeGreaterThan(2800);
    expect(streets().length).toBeGreaterThan(38_000);
    const six = [...provinces(), ...cities(), ...counties()].filter((d) => !/^\d{6}$/.test(d.code));
    expect(six).toEqual([]);
    expect(streets().filter((s) => !/^\d{9}$/.test(s.code))).toEqual([]);
    expect(streetsOfCounty('110105').every((s) => s.code.startsWith('110105'))).toBe(true);
  });

  it('writes names naturally despite the 市辖区 / 省直辖 pseudo-cities', () => {
    expect(divisionName('110105')).toBe('北京市朝阳区');
    expect(divisionName('500229')).toBe('重庆市城口县'); // under the pseudo-city 县
    expect(divisionName('440305')).toBe('广东省深圳市南山区');
    expect(divisionName('441900')).toBe('广东省东莞市'); // city without districts
    expect(divisionName('419001')).toBe('河南省济源市'); // 省直辖县级行政区划
    expect(divisionName('110000')).toBe('北京市');
    expect(divisionName('440300')).toBe('广东省深圳市');
    expect(divisionName('110101001')).toBe('北京市东城区东华门街道');
    expect(divisionName('999999')).toBeUndefined();
    expect(cityOfCounty('110105')?.name).toBe('北京市');
    expect(cityOfCounty('440305')?.name).toBe('深圳市');
    expect(provinceOfCounty('440305')?.name).toBe('广东省');
    expect(provinceOfCounty('110105')?.shortName).toBe('京');
    const unnatural = counties().filter(
      (c) => /市辖区|直辖县级/.test(c.fullName) || !c.fullName.startsWith(provinceOfCounty(c.code)?.name ?? '?'),
    );
    expect(unnatural).toEqual([]);
  });

  it('samples residents by province population and never from development zones', () => {
    const table = residentCountyTable();
    const r = new Random('divisions');
    const byProvince = new Map<string, number>();
    const n = 100_000;
    let zones = 0;
    for (let i = 0; i < n; i++) {
      const c = r.weighted(table);
      if (!c.administrative) zones++;
      byProvince.set(c.provinceCode, (byProvince.get(c.provinceCode) ?? 0) + 1);
    }
    expect(zones).toBe(0);
    const share = (code: string) => (byProvince.get(code) ?? 0) / n;
    expect(share('440000')).toBeGreaterThan(0.08); // 广东 8.9%
    expect(share('440000')).toBeLessThan(0.1);
    expect(share('370000')).toBeGreaterThan(share('110000') * 3); // 山东 vs 北京
    expect(share('540000')).toBeLessThan(0.005); // 西藏 0.26%
    expect(counties().some((c) => !c.administrative && c.code === '130171')).toBe(true);
  });
});
