// Reading a job's input: licensed fields only, masked, and the platform's own contributor ids (pseudonymised).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { derivePseudonymKey, loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, loadDataset, registerDataset, type TestDatabase } from '../../store/index.ts';
import { contributorHasher, contributorHex } from './contributor-ids.ts';
import { readLicensedColumns } from './read-columns.ts';
import { TEST_PSEUDONYM_SECRET } from './testing.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await registerDataset(t.database.db, DATASETS.social_insurance.definition);
  await loadDataset(t.database, { code: 'social_insurance', format: 'csv', body: generatedCsv('social_insurance', 300, 'read-test'), loadedBy: 'test' });
});
afterAll(async () => {
  await t?.drop();
});

const mask = { pseudonymKey: derivePseudonymKey(TEST_PSEUDONYM_SECRET, 'lic-1'), asOf: '2024-06-30' };

describe('readLicensedColumns', () => {
  it('hands over only the licensed fields, as columns of one length', async () => {
    const field = DATASETS.social_insurance.definition.fields.find((f) => f.name !== 'person_id')!.name;
    const input = await readLicensedColumns(t.database, loadPolicies(), 'social_insurance', [field], mask);
    expect(Object.keys(input.columns)).toEqual([field]);
    expect(input.rowCount).toBe(300);
    expect(input.contributorIds).toBeNull();
  });

  it('counts contributors by pseudonymised person id: people with many rows are fewer than rows, raw ids never appear', async () => {
    const key = derivePseudonymKey(TEST_PSEUDONYM_SECRET, 'platform:contributors');
    const input = await readLicensedColumns(t.database, loadPolicies(), 'social_insurance', ['person_id'], mask, { field: 'person_id', key });
    const ids = input.contributorIds!;
    expect(ids.codes).toHaveLength(300);
    expect(ids.dictionary.length).toBeLessThan(300);
    const raw = (await t.database.sql.query<{ p: string }>(`select person_id as p from data."social_insurance_v1"`)).map((r) => r.p);
    expect(ids.dictionary.some((d) => raw.includes(d))).toBe(false);
    // the contributor id is the person id's SM4-CBC-MAC under that key (contributor-ids.ts), one per distinct person
    const hash = contributorHasher(key);
    const expected = raw.map((p) => {
      const bytes = Buffer.from(p, 'utf8');
      return contributorHex(hash({ kind: 'bytes', offsets: Int32Array.of(0, bytes.length), bytes, nulls: new Uint8Array(1) }, 1).words, 0);
    });
    expect(new Set(ids.dictionary)).toEqual(new Set(expected));
  });
});
