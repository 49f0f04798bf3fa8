import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { loadPolicies } from '../policies/index.ts';
import { createTestDatabase, registerDataset, type TestDatabase } from '../store/index.ts';
import { checkPolicies } from './policy-check.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('checkPolicies at start', () => {
  it('finds the five base datasets graded, and reports a registered dataset without a policy file', async () => {
    for (const code of ['population', 'legal_persons', 'social_insurance', 'health_visits', 'credit_dishonest'] as const) {
      await registerDataset(t.database.db, DATASETS[code].definition);
    }
    const check = await checkPolicies(t.database, loadPolicies());
    expect(check).toMatchObject({ ungraded: [], errors: [] });
    // policies written ahead of their dataset (registered later by seeding) wait, they do not stop the start
    expect(check.unused).toContain('admin_divisions');
    await registerDataset(t.database.db, { ...DATASETS.population.definition, code: 'population_copy' });
    expect((await checkPolicies(t.database, loadPolicies())).ungraded).toEqual(['population_copy']);
  });

  it('stops on a field the registry has but the policy does not grade', async () => {
    const t2 = await createTestDatabase();
    const def = DATASETS.population.definition;
    await registerDataset(t2.database.db, { ...def, fields: [...def.fields, { name: 'blood_type', type: 'string', description: '血型', nullable: true, sensitivity: 'sensitive_personal' }] });
    const { errors } = await checkPolicies(t2.database, loadPolicies());
    expect(errors).toContainEqual(expect.objectContaining({ code: 'missing_field_grade', dataset: 'population', field: 'blood_type' }));
    await t2.drop();
  });
});
