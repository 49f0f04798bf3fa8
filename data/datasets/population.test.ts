import { describe, expect, it } from 'vitest';
import type { Row } from '../../store/registry/types.ts';
import { isValidResidentId, residentIdBirthDate, residentIdSex } from '../checksums/resident-id.ts';
import { county, streetsOfCounty } from '../divisions.ts';
import { generate } from './population.ts';

const N = 30_000;
const rows: Row[] = [...generate({ rows: N, seed: 'population-test' })];
const str = (v: unknown) => String(v);
const ageOf = (r: Row) => 2024 - Number(str(r.birth_date).slice(0, 4));

describe('population', () => {
  it('has valid resident IDs that agree with birth date and sex, issued in real counties', () => {
    const bad = rows.filter((r) => {
      const id = str(r.person_id);
      return !isValidResidentId(id) || residentIdBirthDate(id) !== r.birth_date || residentIdSex(id) !== r.sex || !county(id.slice(0, 6));
    });
    expect(bad).toEqual([]);
    // Most IDs carry the registration county; people born elsewhere carry another one.
    const sameRegion = rows.filter((r) => str(r.person_id).startsWith(str(r.region_code))).length / N;
    expect(sameRegion).toBeGreaterThan(0.8);
    expect(sameRegion).toBeLessThan(0.97);
    expect(new Set(rows.map((r) => r.person_id)).size).toBeGreaterThan(N - 5);
  });

  it('places everyone in a real street of a real administrative county, with a matching address', () => {
    const bad = rows.filter((r) => {
      const c = county(str(r.region_code));
      const street = streetsOfCounty(str(r.region_code)).find((s) => s.code === r.street_code);
      return !c || !c.administrative || !street || !str(r.address).startsWith(street.fullName);
    });
    expect(bad).toEqual([]);
  });

  it('keeps households together', () => {
    const byHousehold = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byHousehold.get(str(r.household_id)) ?? [];
      list.push(r);
      byHousehold.set(str(r.household_id), list);
    }
    const mean = N / byHousehold.size;
    expect(mean).toBeGreaterThan(2.2); // census: 2.62 persons per household
    expect(mean).toBeLessThan(3);
    for (const members of byHousehold.values()) {
      expect(new Set(members.map((m) => m.address)).size).toBe(1);
      expect(members.filter((m) => m.relation_to_head === '户主')).toHaveLength(1);
      const spouse = members.find((m) => m.relation_to_head === '配偶');
      if (spouse) {
        expect(spouse.sex).not.toBe(members[0]?.sex);
        expect(spouse.marital_status).toBe('已婚');
      }
    }
  });

  it('follows the census age pyramid and sex ratio', () => {
    const ages = rows.map(ageOf).sort((a, b) => a - b);
    const median = ages[Math.floor(N / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(35);
    expect(median).toBeLessThanOrEqual(45);
    const share = (pred: (a: number) => boolean) => ages.filter(pred).length / N;
    expect(share((a) => a < 15)).toBeGreaterThan(0.12); // 2020: 18.0%, shrinking since
    expect(share((a) => a < 15)).toBeLessThan(0.2);
    expect(share((a) => a >= 65)).toBeGreaterThan(0.12); // 2020: 13.5%, growing
    expect(share((a) => a >= 65)).toBeLessThan(0.2);
    expect(Math.max(...ages)).toBeLessThan(105);
    const men = rows.filter((r) => r.sex === '男').length;
    const ratio = men / (N - men);
    expect(ratio).toBeGreaterThan(1.0); // census: 105.07 men per 100 women
    expect(ratio).toBeLessThan(1.1);
    const han = rows.filter((r) => r.ethnicity === '汉族').length / N;
    expect(han).toBeGreaterThan(0.88); // census: 91.11%
    expect(han).toBeLessThan(0.94);
  });

  it('puts more people in populous provinces', () => {
    const inProvince = (p: string) => rows.filter((r) => str(r.region_code).startsWith(p)).length / N;
    expect(inProvince('44')).toBeGreaterThan(0.075); // 广东 8.9%
    expect(inProvince('44')).toBeLessThan(0.105);
    expect(inProvince('54')).toBeLessThan(0.006); // 西藏 0.26%
  });

  it('has missing values where real registers have them', () => {
    const children = rows.filter((r) => ageOf(r) < 12);
    expect(children.every((r) => r.mobile === null && r.annual_income === null)).toBe(true);
    expect(rows.filter((r) => ageOf(r) < 6).every((r) => r.education === null)).toBe(true);
    const adults = rows.filter((r) => ageOf(r) >= 25 && ageOf(r) < 60);
    const rate = (list: Row[], f: string) => list.filter((r) => r[f] === null).length / list.length;
    expect(rate(adults, 'mobile')).toBeGreaterThan(0.01);
    expect(rate(adults, 'mobile')).toBeLessThan(0.06);
    expect(rate(adults, 'annual_income')).toBeGreaterThan(0.04);
    expect(rate(adults, 'annual_income')).toBeLessThan(0.25);
    expect(rate(adults, 'education')).toBe(0);
    const old = rows.filter((r) => ageOf(r) >= 80);
    expect(rate(old, 'mobile')).toBeGreaterThan(0.3);
    expect(rate(rows, 'marital_status')).toBeLessThan(0.03);
    for (const r of rows) if (r.mobile !== null) expect(str(r.mobile)).toMatch(/^1[3-9]\d{9}$/);
  });

  it('has plausible incomes and marital status', () => {
    const wages = rows
      .filter((r) => r.employment_status === '就业' && typeof r.annual_income === 'number')
      .map((r) => r.annual_income as number)
      .sort((a, b) => a - b);
    const median = wages[Math.floor(wages.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(35_000);
    expect(median).toBeLessThan(90_000);
    expect(rows.filter((r) => ageOf(r) < 20).every((r) => r.marital_status === '未婚')).toBe(true);
    const over30 = rows.filter((r) => ageOf(r) >= 30);
    const married = over30.filter((r) => r.marital_status === '已婚').length / over30.length;
    expect(married).toBeGreaterThan(0.7);
    expect(married).toBeLessThan(0.92);
  });

  it('gives names that look Chinese', () => {
    const han = rows.filter((r) => r.ethnicity === '汉族').map((r) => str(r.name));
    expect(han.every((n) => /^[\u4e00-\u9fff]{2,4}$/.test(n))).toBe(true);
    const wang = han.filter((n) => n.startsWith('王')).length / han.length;
    expect(wang).toBeGreaterThan(0.05); // 王 is the most common surname, about 7%
    expect(wang).toBeLessThan(0.1);
  });
});
