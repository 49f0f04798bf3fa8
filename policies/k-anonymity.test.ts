import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../store/index.ts';
import { ageHierarchy, categoryHierarchy, regionHierarchy } from './hierarchies.ts';
import { kAnonymity, type QuasiIdentifier } from './k-anonymity.ts';

const qis: QuasiIdentifier[] = [
  { field: 'sex', hierarchy: categoryHierarchy() },
  { field: 'age', hierarchy: ageHierarchy },
  { field: 'region', hierarchy: regionHierarchy },
];
const regions = ['440305', '440304', '440106', '110105', '110108', '330424', '330106'];
const row = fc.record({
  sex: fc.constantFrom('男', '女'),
  age: fc.integer({ min: 0, max: 100 }),
  region: fc.constantFrom(...regions),
  income: fc.integer({ min: 0, max: 100000 }),
});

function classSizes(rows: readonly Row[]): number[] {
  const sizes = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify([r.sex, r.age, r.region]);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return [...sizes.values()];
}

describe('kAnonymity', () => {
  it('releases only rows in classes of at least k, within the suppression limit, and reports the k achieved', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 300 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, 0.05, 0.2), (rows, k, rate) => {
        const result = kAnonymity(rows, qis, { k, maxSuppressionRate: rate });
        if (!result.ok) {
          expect(rows.length < k || result.reason === 'suppression_limit').toBe(true);
          return;
        }
        const sizes = classSizes(result.rows);
        expect(Math.min(...sizes)).toBe(result.k);
        expect(result.k).toBeGreaterThanOrEqual(k);
        expect(result.suppressed).toBe(rows.length - result.rows.length);
        expect(result.suppressionRate).toBeLessThanOrEqual(rate);
        // Columns that are not quasi-identifiers are untouched.
        expect(result.rows.every((r) => typeof r.income === 'number')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('generalizes no more than needed', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ sex: i % 2 ? '男' : '女', age: 30 + (i % 10), region: i % 4 ? '440305' : '440304' }));
    const result = kAnonymity(rows, qis, { k: 5, maxSuppressionRate: 0 });
    expect(result).toMatchObject({ ok: true, suppressed: 0, levels: { sex: 'value', age: '10 years', region: 'code' } });
    expect(result.ok && result.k).toBe(10); // classes: 女 440304 (10), 男 440305 (20), 女 440305 (10)
  });

  it('refuses when even the coarsest allowed generalization leaves too many small classes', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ sex: '男', age: 20, region: regions[i % regions.length] as string }));
    const capped: QuasiIdentifier[] = [{ field: 'region', hierarchy: regionHierarchy, maxLevel: 1 }];
    const result = kAnonymity(rows, capped, { k: 10, maxSuppressionRate: 0.05 });
    expect(result).toMatchObject({ ok: false, reason: 'suppression_limit' });
    expect(!result.ok && result.best?.k).toBeLessThan(10);
    expect(kAnonymity(rows.slice(0, 3), capped, { k: 5, maxSuppressionRate: 1 })).toEqual({ ok: false, reason: 'too_few_rows', best: undefined });
  });

  it('refuses nonsense options', () => {
    expect(() => kAnonymity([], qis, { k: 0, maxSuppressionRate: 0 })).toThrow(TypeError);
    expect(() => kAnonymity([], qis, { k: 5, maxSuppressionRate: 2 })).toThrow(TypeError);
  });
});
