import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampValues } from './clamp.ts';
import { contributorsFromIds } from './contributors.ts';
import { groupBy } from './group-by.ts';
import { meanByGroup, sumByGroup, varianceByGroup } from './moments.ts';
import { keyColumn } from './testing.ts';

describe('sumByGroup', () => {
  it('sums, counts and keeps the top two contributions per group', () => {
    const g = groupBy([keyColumn(['A', 'A', 'B', 'A', 'B'])], 5);
    const s = sumByGroup(g, Float64Array.from([5, 1, 2, 3, NaN]));
    expect([...s.sum]).toEqual([9, 2]);
    expect([...s.n]).toEqual([3, 1]);
    expect([...s.contributors]).toEqual([3, 1]);
    expect([...s.top1]).toEqual([5, 2]);
    expect([...s.top2]).toEqual([3, 0]);
    expect([...s.magnitude]).toEqual([9, 2]);
    expect(s.missing).toBe(1);
  });

  it('clamps values into the declared bounds before summing, and says how many it moved', () => {
    const g = groupBy([], 5);
    const s = sumByGroup(g, Float64Array.from([-10, 5, 1e9, Infinity, NaN]), { bounds: { lo: 0, hi: 100 } });
    expect(s.sum[0]).toBe(0 + 5 + 100 + 100);
    expect(s.clamped).toBe(3);
    expect(s.missing).toBe(1);
    expect(clampValues(Float64Array.from([-1, 2, 3]), { lo: 0, hi: 2 }).clamped).toBe(2);
  });

  it('treats infinities as missing when no bounds are declared', () => {
    const s = sumByGroup(groupBy([], 3), Float64Array.from([1, Infinity, 2]));
    expect(s.sum[0]).toBe(3);
    expect(s.n[0]).toBe(2);
  });

  it('counts a contributor with many rows once, and takes its rows together as one contribution', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'p', 'q', 'r']));
    const g = groupBy([keyColumn(['A', 'A', 'A', 'A', 'A'])], 5, { contributors: who });
    const s = sumByGroup(g, Float64Array.from([10, 10, 10, 5, 1]));
    expect(s.contributors[0]).toBe(3);
    expect(s.n[0]).toBe(5);
    expect(s.top1[0]).toBe(30);
    expect(s.top2[0]).toBe(5);
  });

  it('leaves out rows whose contributor id is missing', () => {
    const who = contributorsFromIds(keyColumn(['p', null, 'q']));
    const s = sumByGroup(groupBy([], 3, { contributors: who }), Float64Array.from([1, 100, 2]));
    expect(s.sum[0]).toBe(3);
    expect(s.contributors[0]).toBe(2);
  });

  it('agrees with a naive computation (property)', () => {
    const row = fc.record({ k: fc.constantFrom('a', 'b', 'c'), who: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'), v: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 100 }), (rows) => {
        const who = contributorsFromIds(keyColumn(rows.map((r) => r.who)));
        const g = groupBy([keyColumn(rows.map((r) => r.k))], rows.length, { contributors: who });
        const s = varianceByGroup(g, Float64Array.from(rows.map((r) => r.v)));
        g.labels.forEach(([k], gi) => {
          const mine = rows.filter((r) => r.k === k && !Number.isNaN(r.v));
          const sum = mine.reduce((a, r) => a + r.v, 0);
          expect(s.sum[gi]).toBeCloseTo(sum, 3);
          expect(s.n[gi]).toBe(mine.length);
          expect(s.contributors[gi]).toBe(new Set(mine.map((r) => r.who)).size);
          const totals = [...new Set(mine.map((r) => r.who))].map((w) => Math.abs(mine.filter((r) => r.who === w).reduce((a, r) => a + r.v, 0))).sort((a, b) => b - a);
          expect(s.top1[gi]).toBeCloseTo(totals[0] ?? 0, 3);
          expect(s.top2[gi]).toBeCloseTo(totals[1] ?? 0, 3);
          if (mine.length > 1) {
            const mean = sum / mine.length;
            const variance = mine.reduce((a, r) => a + (r.v - mean) ** 2, 0) / (mine.length - 1);
            expect(s.variance[gi]! / Math.max(1, variance)).toBeCloseTo(variance / Math.max(1, variance), 6);
          }
        });
      }),
    );
  });

  it('keeps precision for large means (two-pass variance, compensated sums)', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => 1e9 + (i % 2));
    const v = varianceByGroup(groupBy([], values.length), values);
    expect(v.mean[0]).toBeCloseTo(1e9 + 0.5, 6);
    expect(v.variance[0]).toBeCloseTo(0.25 * (1000 / 999), 9);
    expect(meanByGroup(groupBy([], 0), new Float64Array(0)).mean[0]).toBeNaN();
  });
});
