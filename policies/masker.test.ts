import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Test-only import: realistic rows of the real datasets.
import { DATASETS } from '../data/index.ts';
import { isAppError } from '../errors/index.ts';
import type { Row } from '../store/index.ts';
import { loadPolicies } from './load-policies.ts';
import { maskerFor } from './masker.ts';
import { derivePseudonymKey } from './pseudonym.ts';
import { PEOPLE, peoplePolicy } from './testing.ts';

const master = new Uint8Array(32).fill(1);
const keyA = derivePseudonymKey(master, 'licence-A');
const keyB = derivePseudonymKey(master, 'licence-B');
const policies = loadPolicies();
const population = DATASETS.population;
const rows: Row[] = [...population.generate({ rows: 2000, seed: 'masker-test' })];

describe('maskerFor', () => {
  it('follows the masked schema: dropped fields absent, types after masking', () => {
    const m = maskerFor(peoplePolicy(), PEOPLE, 'sandbox', { pseudonymKey: keyA });
    expect(m.fields.map((f) => [f.name, f.type, f.rule.mask])).toEqual([
      ['id', 'string', 'pseudonym'],
      ['name', 'string', 'name'],
      ['sex', 'string', 'raw'],
      ['birth_date', 'integer', 'date'],
      ['region_code', 'string', 'raw'],
      ['income', 'decimal', 'round'],
    ]);
    expect(m.definition.fields).toBe(m.fields);
    const out = m.maskRow({ id: '110105194912310021', name: '张三', sex: '男', birth_date: '1949-12-31', region_code: '110105', income: 12345.6, note: 'free text' });
    expect(out).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: '张*', sex: '男', birth_date: 1949, region_code: '110105', income: 12000 });
    expect(m.maskRow({})).toEqual({ id: null, name: null, sex: null, birth_date: null, region_code: null, income: null });
  });

  it('never delivers the protected parts of population rows to a sandbox job', () => {
    const m = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: keyA });
    for (const r of rows) {
      // Masks work value by value, so a row's protected parts can only leak into its own masked row.
      const text = JSON.stringify(m.maskRow(r));
      expect(text.includes(String(r.person_id))).toBe(false);
      expect(text.includes(String(r.person_id).slice(6, 14))).toBe(false); // the date of birth inside the ID
      if (r.mobile !== null) expect(text.includes(String(r.mobile))).toBe(false);
      expect(text.includes(String(r.address))).toBe(false);
      expect(text.includes(String(r.household_id))).toBe(false);
      expect(text.includes(`"${String(r.name)}"`)).toBe(false);
      expect(text.includes(`"${String(r.birth_date)}"`)).toBe(false);
    }
    const masked = rows.map((r) => m.maskRow(r));
    expect(new Set(masked.map((r) => r.ethnicity))).toEqual(new Set(['汉族', '少数民族']));
    expect(masked.every((r) => r.annual_income === null || (r.annual_income as number) % 1000 === 0)).toBe(true);
  });

  it('is deterministic, and rows and columns give the same result', () => {
    const m1 = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: keyA });
    const m2 = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: keyA });
    const byRow = rows.map((r) => m1.maskRow(r));
    expect(rows.map((r) => m2.maskRow(r))).toEqual(byRow);
    const columns: Record<string, Row[string][]> = {};
    for (const f of population.definition.fields) columns[f.name] = rows.map((r) => r[f.name] ?? null);
    const masked = m1.maskColumns(columns);
    expect(Object.keys(masked)).toEqual(m1.fields.map((f) => f.name));
    for (const f of m1.fields) expect(masked[f.name]).toEqual(byRow.map((r) => r[f.name]));
  });

  it('joins datasets within one licence and not across licences', () => {
    const si = [...DATASETS.social_insurance.generate({ rows: 200, seed: 'masker-test' })];
    const popA = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: keyA });
    const siA = maskerFor(policies, DATASETS.social_insurance.definition, 'sandbox', { pseudonymKey: keyA });
    const siB = maskerFor(policies, DATASETS.social_insurance.definition, 'sandbox', { pseudonymKey: keyB });
    const pseudonymsA = new Set(rows.map((r) => popA.maskRow(r).person_id));
    const linkedA = si.filter((r) => pseudonymsA.has(siA.maskRow(r).person_id)).length;
    const linkedB = si.filter((r) => pseudonymsA.has(siB.maskRow(r).person_id)).length;
    const linkedRaw = si.filter((r) => rows.some((p) => p.person_id === r.person_id)).length;
    expect(linkedRaw).toBeGreaterThan(0);
    expect(linkedA).toBe(linkedRaw);
    expect(linkedB).toBe(0);
  });

  it('masks are deterministic where declared, for any value', () => {
    const m = maskerFor(peoplePolicy(), PEOPLE, 'sandbox', { pseudonymKey: keyA });
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ noNaN: true, min: -1e9, max: 1e9 }), (id, name, income) => {
        const row = { id, name, sex: 'x', birth_date: '2000-01-01', region_code: '110105', income, note: null };
        expect(m.maskRow(row)).toEqual(m.maskRow({ ...row }));
      }),
    );
  });

  it('fails closed: a field without a policy, a missing key or day', () => {
    const extra = { ...PEOPLE, fields: [...PEOPLE.fields, { ...PEOPLE.fields[0]!, name: 'secret' }] };
    try {
      maskerFor(peoplePolicy(), extra, 'sandbox', { pseudonymKey: keyA });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('POLICY_INVALID');
    }
    expect(() => maskerFor(peoplePolicy(), PEOPLE, 'sandbox')).toThrow(/pseudonym key/);
    const aged = peoplePolicy({ birth_date: { grade: 'general-3', pi: 'personal', sandbox: { mask: 'age_band', width: 10 } } });
    expect(() => maskerFor(aged, PEOPLE, 'sandbox', { pseudonymKey: keyA })).toThrow(/asOf/);
    const m = maskerFor(aged, PEOPLE, 'sandbox', { pseudonymKey: keyA, asOf: '2024-12-31' });
    expect(m.maskRow({ birth_date: '1990-06-15' }).birth_date).toBe('30-39');
  });
});
