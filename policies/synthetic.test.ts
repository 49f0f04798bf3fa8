import { describe, expect, it } from 'vitest';
// Test-only import: realistic rows to profile.
import { DATASETS } from '../data/index.ts';
import type { Row } from '../store/index.ts';
import { loadPolicies } from './load-policies.ts';
import { maskerFor } from './masker.ts';
import { profileDataset, syntheticRows } from './synthetic.ts';

const policies = loadPolicies();
const population = DATASETS.population;
const real: Row[] = [...population.generate({ rows: 20_000, seed: 'synthetic-test' })];
const profile = profileDataset(policies, population.definition, real);
const synthetic = syntheticRows(profile, { rows: 5000, seed: 1 });

const share = (rows: readonly Row[], field: string, value: unknown) => rows.filter((r) => r[field] === value).length / rows.length;

describe('synthetic samples', () => {
  it('follow the masked schema of the use', () => {
    const masker = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: new Uint8Array(16) });
    expect(profile.fields.map((f) => [f.name, f.type])).toEqual(masker.fields.map((f) => [f.name, f.type]));
    for (const r of synthetic) {
      expect(Object.keys(r)).toEqual(masker.fields.map((f) => f.name));
      expect(r.person_id).toMatch(/^[0-9a-f]{32}$/);
      expect(r.name === null || /^.+\*$/.test(String(r.name))).toBe(true);
      expect(r.birth_date === null || /^\d{4}-\d{2}$/.test(String(r.birth_date))).toBe(true);
      expect(r.annual_income === null || typeof r.annual_income === 'number').toBe(true);
    }
  });

  it('have realistic distributions, including missing values', () => {
    const masker = maskerFor(policies, population.definition, 'sandbox', { pseudonymKey: new Uint8Array(16) });
    const maskedReal = real.map((r) => masker.maskRow(r));
    for (const [field, value] of [['sex', '男'], ['ethnicity', '汉族'], ['marital_status', '已婚'], ['education', null], ['mobile', null]] as const) {
      expect(Math.abs(share(synthetic, field, value) - share(maskedReal, field, value))).toBeLessThan(0.03);
    }
    // Quartiles of income: the histogram folds the extreme tails into its outer bins, so compare the body.
    const quantile = (rows: readonly Row[], p: number) => {
      const xs = rows.map((r) => r.annual_income).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
      return xs[Math.floor(p * xs.length)] as number;
    };
    for (const p of [0.25, 0.5, 0.75]) expect(Math.abs(quantile(synthetic, p) / quantile(maskedReal, p) - 1)).toBeLessThan(0.1);
  });

  it('keep nothing rarer than the minimum cell count, and no real pseudonym or row', () => {
    expect(profile.minCount).toBe(20); // population has an important field (person_id)
    for (const c of profile.columns) {
      if (c.kind === 'category') expect(c.values.every(([, n]) => n >= profile.minCount)).toBe(true);
      if (c.kind === 'number') expect(c.bins.every((b) => b.count >= profile.minCount)).toBe(true);
    }
    // Street codes are too fine to keep: a synthetic one starts with a prefix (province, city, county) that at least
    // 20 real rows share, and is random after it.
    const prefixes = new Map<string, number>();
    for (const r of real) for (let len = 1; len <= 9; len++) prefixes.set(String(r.street_code).slice(0, len), (prefixes.get(String(r.street_code).slice(0, len)) ?? 0) + 1);
    const street = profile.columns.find((c) => c.field === 'street_code');
    expect(street?.kind).toBe('pattern');
    if (street?.kind === 'pattern') for (const [prefix] of street.patterns) expect(prefixes.get(prefix) ?? 0).toBeGreaterThanOrEqual(20);
    for (const r of synthetic) expect(String(r.street_code)).toMatch(/^\d{9}$/);
    expect(JSON.stringify(profile)).not.toContain(String(real[0]?.person_id));
  });

  it('are reproducible from the seed and differ across seeds', () => {
    expect(syntheticRows(profile, { rows: 50, seed: 1 })).toEqual(synthetic.slice(0, 50));
    expect(syntheticRows(profile, { rows: 50, seed: 2 })).not.toEqual(synthetic.slice(0, 50));
  });

  it('profile every dataset and use', () => {
    for (const d of Object.values(DATASETS)) {
      for (const use of ['sandbox', 'open_download'] as const) {
        const p = profileDataset(policies, d.definition, [...d.generate({ rows: 2000, seed: 'p' })], { use });
        const rows = syntheticRows(p, { rows: 20, seed: 'x' });
        expect(rows.every((r) => Object.keys(r).length === p.fields.length)).toBe(true);
      }
    }
  });
});
