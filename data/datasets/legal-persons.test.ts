import { describe, expect, it } from 'vitest';
import type { Row } from '../../store/registry/types.ts';
import { isValidOrganizationCode } from '../checksums/organization-code.ts';
import { isValidUscc } from '../checksums/uscc.ts';
import { county } from '../divisions.ts';
import { INDUSTRY_SECTIONS, industryDivision } from '../industries.ts';
import { generate, shortCityName } from './legal-persons.ts';

const N = 20_000;
const rows: Row[] = [...generate({ rows: N, seed: 'legal-test' })];
const str = (v: unknown) => String(v);

describe('legal_persons', () => {
  it('has valid, unique USCCs whose region and embedded organisation code are valid', () => {
    const bad = rows.filter((r) => {
      const u = str(r.uscc);
      return !isValidUscc(u) || !isValidOrganizationCode(u.slice(8, 17)) || u.slice(2, 8) !== r.region_code || !county(u.slice(2, 8));
    });
    expect(bad).toEqual([]);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(N);
    // Mostly enterprises registered by market regulation (9 = 工商, 1 = enterprise).
    const enterprises = rows.filter((r) => str(r.uscc).startsWith('91')).length / N;
    expect(enterprises).toBeGreaterThan(0.8);
    // Since October 2015 new organisation codes start with MA.
    const recent = rows.filter((r) => str(r.established_date) >= '2016' && str(r.uscc).startsWith('9'));
    expect(recent.every((r) => str(r.uscc).slice(8, 10) === 'MA')).toBe(true);
  });

  it('names entities like real registrations', () => {
    const firms = rows.filter((r) => r.entity_type === '有限责任公司').map((r) => str(r.name));
    expect(firms.every((n) => /(有限公司|有限责任公司)$/.test(n))).toBe(true);
    expect(rows.filter((r) => r.entity_type === '股份有限公司').every((r) => str(r.name).endsWith('股份有限公司'))).toBe(true);
    expect(rows.filter((r) => r.entity_type === '农民专业合作社').every((r) => str(r.name).endsWith('专业合作社'))).toBe(true);
    expect(shortCityName('深圳市')).toBe('深圳');
    expect(shortCityName('延边朝鲜族自治州')).toBe('延边');
    expect(shortCityName('海西蒙古族藏族自治州')).toBe('海西');
  });

  it('uses GB/T 4754-2017 industries', () => {
    for (const r of rows) {
      const code = str(r.industry_code);
      const section = code.charAt(0);
      expect(INDUSTRY_SECTIONS[section]).toBeDefined();
      expect(industryDivision(section, code.slice(1))?.name).toBe(r.industry_name);
    }
    const retail = rows.filter((r) => str(r.industry_code).startsWith('F')).length / N;
    expect(retail).toBeGreaterThan(0.15);
  });

  it('closes older entities more often', () => {
    const closedRate = (from: string, to: string) => {
      const cohort = rows.filter((r) => str(r.established_date) >= from && str(r.established_date) < to);
      return cohort.filter((r) => r.status === '注销' || r.status === '吊销' || r.status === '迁出').length / cohort.length;
    };
    expect(closedRate('1980', '2010')).toBeGreaterThan(closedRate('2020', '2025') * 2);
    const active = rows.filter((r) => r.status === '存续' || r.status === '在业').length / N;
    expect(active).toBeGreaterThan(0.65);
    expect(active).toBeLessThan(0.92);
    const shares = new Set(rows.map((r) => r.status));
    expect([...shares].sort()).toEqual(['吊销', '在业', '存续', '注销', '迁出'].sort());
  });

  it('has plausible capital, dates and employee counts', () => {
    const capital = rows.map((r) => r.registered_capital as number).sort((a, b) => a - b);
    const median = capital[N / 2] ?? 0;
    expect(median).toBeGreaterThanOrEqual(20);
    expect(median).toBeLessThanOrEqual(500);
    expect(rows.every((r) => str(r.established_date) >= '1980-01-01' && str(r.established_date) <= '2024-12-31')).toBe(true);
    const missing = rows.filter((r) => r.employee_count === null).length / N;
    expect(missing).toBeGreaterThan(0.1);
    expect(missing).toBeLessThan(0.5);
    expect(rows.every((r) => r.employee_count === null || (r.employee_count as number) >= 1)).toBe(true);
  });
});
