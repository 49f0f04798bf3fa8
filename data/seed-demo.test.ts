import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, getDataset, type TestDatabase } from '../store/index.ts';
import { isValidResidentId } from './checksums/resident-id.ts';
import { demoSizes, seedDemo } from './seed-demo.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('seedDemo', () => {
  it('registers and loads all five datasets once, and a second run changes nothing', async () => {
    const first = await seedDemo(t.database, { residents: 500 });
    expect(first.map((l) => l.code).sort()).toEqual(['credit_dishonest', 'health_visits', 'legal_persons', 'population', 'social_insurance']);
    const sizes = demoSizes(500);
    for (const load of first) expect(load.rowCount).toBe(sizes[load.code as keyof typeof sizes]);
    expect(await seedDemo(t.database, { residents: 500 })).toEqual([]);
    expect((await getDataset(t.database.db, 'population')).currentVersion?.version).toBe(1);
  });

  it('stores generated resident IDs that pass the GB 11643 check', async () => {
    const rows = await t.database.sql.query<{ person_id: string }>('SELECT person_id FROM data."population_v1" LIMIT 200');
    expect(rows).toHaveLength(200);
    for (const r of rows) expect(isValidResidentId(r.person_id)).toBe(true);
  });
});
