import { describe, expect, it } from 'vitest';
import type { Row } from '../../store/registry/types.ts';
import { isValidResidentId, residentIdBirthDate, residentIdSex } from '../checksums/resident-id.ts';
import { isValidUscc } from '../checksums/uscc.ts';
import * as credit from './credit-dishonest.ts';
import * as health from './health-visits.ts';
import * as legal from './legal-persons.ts';
import * as population from './population.ts';
import * as social from './social-insurance.ts';

const SEED = 'linkage';
const str = (v: unknown) => String(v);
const byKey = (rows: Iterable<Row>, key: string) => new Map([...rows].map((r) => [str(r[key]), r]));

describe('social_insurance', () => {
  const options = { rows: 20_000, seed: SEED };
  const rows = [...social.generate(options)];
  const need = social.linkedRowsNeeded(options);
  const people = byKey(population.generate({ rows: need.population, seed: SEED }), 'person_id');
  const firms = byKey(legal.generate({ rows: need.legal_persons, seed: SEED }), 'uscc');

  it('refers to employed people of working age from population with the same seed', () => {
    expect(need.population).toBeLessThan(options.rows); // the walk covers several rows per person
    const bad = rows.filter((r) => {
      const p = people.get(str(r.person_id));
      if (!p || !isValidResidentId(str(r.person_id))) return true;
      const age = 2024 - Number(str(p.birth_date).slice(0, 4));
      return p.employment_status !== '就业' || age < 16 || age >= (p.sex === '男' ? 60 : 55);
    });
    expect(bad).toEqual([]);
    // A different seed's population does not contain them.
    const stranger = byKey(population.generate({ rows: need.population, seed: 'someone else' }), 'person_id');
    expect(rows.filter((r) => stranger.has(str(r.person_id))).length).toBeLessThan(5);
  });

  it('refers to active employers from legal_persons with the same seed, registered where they are', () => {
    const bad = rows.filter((r) => {
      const f = firms.get(str(r.employer_uscc));
      return !f || !isValidUscc(str(r.employer_uscc)) || f.region_code !== r.region_code || !(f.status === '存续' || f.status === '在业');
    });
    expect(bad).toEqual([]);
    // Bound documented in social-insurance.ts: entity index < person index / 8 + 70.
    expect(need.legal_persons).toBeLessThanOrEqual(Math.floor(need.population / social.EMPLOYEES_PER_ENTITY) + 70);
  });

  it('computes contributions consistently', () => {
    const types = new Set(rows.map((r) => r.insurance_type));
    expect([...types].sort()).toEqual(['养老', '医疗', '失业', '工伤', '生育'].sort());
    for (const r of rows) {
      const base = r.contribution_base as number;
      expect(str(r.period)).toMatch(/^20(19|2[0-4])-(0[1-9]|1[0-2])$/);
      if (r.insurance_type === '养老') {
        expect(r.employer_amount).toBe(Math.round(base * 16) / 100);
        expect(r.personal_amount).toBe(Math.round(base * 8) / 100);
      }
      if (r.insurance_type === '工伤' || r.insurance_type === '生育') expect(r.personal_amount).toBe(0);
      const owed = Math.round(((r.employer_amount as number) + (r.personal_amount as number)) * 100) / 100;
      expect(r.arrears_amount).toBe(r.paid ? 0 : owed);
    }
  });

  it('concentrates arrears in a few chronic employers', () => {
    const unpaid = rows.filter((r) => !r.paid).length / rows.length;
    expect(unpaid).toBeGreaterThan(0.002);
    expect(unpaid).toBeLessThan(0.08);
    const perEmployer = new Map<string, { all: number; unpaid: number }>();
    for (const r of rows) {
      const e = perEmployer.get(str(r.employer_uscc)) ?? { all: 0, unpaid: 0 };
      e.all++;
      if (!r.paid) e.unpaid++;
      perEmployer.set(str(r.employer_uscc), e);
    }
    const employersWithArrears = [...perEmployer.values()].filter((e) => e.unpaid > 0);
    const chronic = employersWithArrears.filter((e) => e.unpaid / e.all > 0.3);
    expect(chronic.length).toBeGreaterThan(0);
    expect(chronic.length / perEmployer.size).toBeLessThan(0.15);
  });
});

describe('health_visits', () => {
  const options = { rows: 20_000, seed: SEED };
  const rows = [...health.generate(options)];
  const people = byKey(population.generate({ rows: health.linkedRowsNeeded(options).population, seed: SEED }), 'person_id');

  it('refers to residents of population with the same seed, treated where they live', () => {
    const bad = rows.filter((r) => {
      const p = people.get(str(r.person_id));
      return !p || p.region_code !== r.region_code || str(r.visit_date) < str(p.birth_date);
    });
    expect(bad).toEqual([]);
    expect(new Set(rows.map((r) => r.visit_id)).size).toBe(rows.length);
  });

  it('is clinically and financially consistent', () => {
    for (const r of rows) {
      const id = str(r.person_id);
      expect(str(r.visit_date) >= '2024-01-01' && str(r.visit_date) <= '2024-12-31').toBe(true);
      expect(Math.round(((r.insurance_paid as number) + (r.self_paid as number)) * 100)).toBe(Math.round((r.total_cost as number) * 100));
      expect(r.length_of_stay === null).toBe(r.visit_type !== '住院');
      if (str(r.diagnosis_category).startsWith('O')) {
        expect(residentIdSex(id)).toBe('女');
        const age = 2024 - Number(residentIdBirthDate(id).slice(0, 4));
        expect(age).toBeGreaterThanOrEqual(15);
        expect(age).toBeLessThan(50);
      }
      if (r.visit_type === '住院') expect(r.hospital_level).not.toBe('社区');
    }
    const share = (t: string) => rows.filter((r) => r.visit_type === t).length / rows.length;
    expect(share('门诊')).toBeGreaterThan(0.8);
    expect(share('住院')).toBeGreaterThan(0.02);
    expect(share('住院')).toBeLessThan(0.12);
    const inpatientCosts = rows.filter((r) => r.visit_type === '住院').map((r) => r.total_cost as number);
    const meanInpatient = inpatientCosts.reduce((a, b) => a + b, 0) / inpatientCosts.length;
    expect(meanInpatient).toBeGreaterThan(5_000); // bulletin: about 10,000 yuan per stay
    expect(meanInpatient).toBeLessThan(25_000);
  });
});

describe('credit_dishonest', () => {
  const options = { rows: 2_000, seed: SEED };
  const rows = [...credit.generate(options)];
  const firms = byKey(legal.generate({ rows: credit.linkedRowsNeeded(options).legal_persons, seed: SEED }), 'uscc');

  it('refers to entities of legal_persons with the same seed, by code and name', () => {
    const bad = rows.filter((r) => {
      const f = firms.get(str(r.uscc));
      return !f || !isValidUscc(str(r.uscc)) || f.name !== r.entity_name || f.region_code !== r.region_code;
    });
    expect(bad).toEqual([]);
    // Revoked firms are far more often on the list than their share of the register.
    const revoked = rows.filter((r) => firms.get(str(r.uscc))?.status === '吊销').length / rows.length;
    const revokedOnRegister = [...firms.values()].filter((f) => f.status === '吊销').length / firms.size;
    expect(revoked).toBeGreaterThan(revokedOnRegister * 2);
  });

  it('writes case numbers, courts and dates like the published list', () => {
    for (const r of rows) {
      const m = /^（(\d{4})）([\u4e00-\u9fff])(\d{2}|\d{4})(执|执恢)(\d+)号$/.exec(str(r.case_number));
      expect(m, str(r.case_number)).not.toBeNull();
      const year = Number(m?.[1]);
      expect(year).toBeGreaterThanOrEqual(2015);
      expect(Number(str(r.published_date).slice(0, 4))).toBeGreaterThanOrEqual(year);
      expect(str(r.published_date) <= '2024-12-31').toBe(true);
      expect(str(r.court)).toMatch(/人民法院$/);
      if (m?.[3]?.length === 4) expect(str(r.region_code).slice(2)).toBe(m[3]);
      expect(r.amount === null).toBe(!/\d元/.test(str(r.obligation)));
    }
    expect(new Set(rows.map((r) => r.performance_status))).toEqual(new Set(['全部未履行', '部分履行']));
  });
});
