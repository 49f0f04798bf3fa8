// Masked synthetic samples: the generator's realistic rows where a dataset has one, values by type otherwise, both
// put through the sandbox masking.
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { loadPolicies } from '../../policies/index.ts';
import { PEOPLE, peoplePolicy } from '../../policies/testing.ts';
import { maskedSample, sampleRows } from './masked-sample.ts';

const options = { rows: 500, seed: 's', pseudonymKey: new Uint8Array(32).fill(3), asOf: '2026-01-01' };

describe('maskedSample', () => {
  it('synthesizes a dataset without a generator from its field types, masked by its policy', () => {
    const sample = maskedSample(peoplePolicy(), PEOPLE, ['id', 'birth_date', 'income', 'note', 'sex'], options);
    // note is dropped for the sandbox; the others keep their masked types
    expect(sample.fields.map((f) => f.name)).toEqual(['id', 'sex', 'birth_date', 'income']);
    const rows = sampleRows(sample);
    expect(rows).toHaveLength(500);
    const incomes = rows.map((r) => r.income).filter((v) => v !== null);
    expect(incomes.length).toBeGreaterThan(350);
    expect(incomes.length).toBeLessThan(500); // nullable: some missing
    for (const v of incomes) expect(Number(v) % 1000).toBe(0);
    for (const r of rows) if (r.id !== null) expect(r.id).not.toMatch(/^id_/); // pseudonymised
    for (const r of rows) if (r.birth_date !== null) expect(String(r.birth_date)).toMatch(/^\d{4}$/);
    expect(new Set(rows.map((r) => r.sex)).size).toBeGreaterThan(3);
  });

  it('uses the data generator where the dataset has one, and is deterministic per seed', () => {
    const policies = loadPolicies();
    const a = sampleRows(maskedSample(policies, DATASETS.legal_persons.definition, ['industry_code', 'status', 'established_date'], options));
    expect(a.every((r) => /^[A-T]\d{2}$/.test(String(r.industry_code)))).toBe(true);
    expect(new Set(a.map((r) => r.status))).toContain('存续');
    expect(sampleRows(maskedSample(policies, DATASETS.legal_persons.definition, ['industry_code', 'status', 'established_date'], options))).toEqual(a);
  });
});
