import { describe, expect, it } from 'vitest';
// Test-only import: the shipped policies are checked against the real dataset definitions.
import { adminDivisionsDefinition, DATASETS } from '../data/index.ts';
import { isAppError } from '../errors/index.ts';
import { assertPoliciesMatchRegistry, checkPoliciesAgainstRegistry } from './check-registry.ts';
import { loadPolicies, parsePolicySet } from './load-policies.ts';
import { PEOPLE, peopleDocument, peoplePolicy } from './testing.ts';

const definitions = [...Object.values(DATASETS).map((d) => d.definition), adminDivisionsDefinition];
/** Open statistics are registered from their specs (sandbox/open-statistics, checked in their own test). */
const OPEN_STATISTICS = ['residents_by_district_age', 'enterprises_by_industry_year'];

describe('the shipped policy files', () => {
  it('load, validate, and grade every field of every registered dataset', () => {
    const set = loadPolicies();
    expect([...set.datasets.keys()].sort()).toEqual([...definitions.map((d) => d.code), ...OPEN_STATISTICS].sort());
    const problems = checkPoliciesAgainstRegistry(set, definitions).filter((p) => !(p.code === 'unknown_dataset' && OPEN_STATISTICS.includes(p.dataset)));
    expect(problems).toEqual([]);
  });
});

describe('checkPoliciesAgainstRegistry', () => {
  it('agrees when policy and registry agree', () => {
    expect(checkPoliciesAgainstRegistry(peoplePolicy(), [PEOPLE])).toEqual([]);
  });

  it('reports a registered field without a grade: an error at start, not a silent default', () => {
    expect(checkPoliciesAgainstRegistry(peoplePolicy({ note: undefined }), [PEOPLE])).toEqual([
      { code: 'missing_field_grade', dataset: 'people', field: 'note', message: 'registered field without a grade' },
    ]);
    try {
      assertPoliciesMatchRegistry(peoplePolicy({ note: undefined }), [PEOPLE]);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('POLICY_INVALID');
    }
  });

  it('reports datasets and fields on one side only', () => {
    const set = peoplePolicy({ extra: { grade: 'general-1', pi: 'none' } });
    const other = { ...PEOPLE, code: 'other' };
    expect(checkPoliciesAgainstRegistry(set, [PEOPLE, other]).map((p) => [p.code, p.dataset, p.field])).toEqual([
      ['unknown_field', 'people', 'extra'],
      ['missing_policy', 'other', undefined],
    ]);
    expect(checkPoliciesAgainstRegistry(set, []).map((p) => p.code)).toEqual(['unknown_dataset']);
  });

  it('reports grade, PI flag and type disagreements', () => {
    const set = parsePolicySet([
      {
        source: 'people.json',
        content: peopleDocument({ sex: { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'mobile' } } }, { grade: 'core' }),
      },
    ]);
    const retyped = { ...PEOPLE, fields: PEOPLE.fields.map((f) => (f.name === 'income' ? { ...f, type: 'string' as const } : f)) };
    expect(checkPoliciesAgainstRegistry(set, [retyped]).map((p) => [p.code, p.field])).toEqual([
      ['grade_mismatch', undefined],
      ['sensitivity_mismatch', 'sex'],
      ['mask_type_mismatch', 'income'],
    ]);
  });
});
