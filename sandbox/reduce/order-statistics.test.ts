import { describe, expect, it } from 'vitest';
import { groupBy } from './group-by.ts';
import { minMaxByGroup, quantilesByGroup } from './order-statistics.ts';
import { keyColumn } from './testing.ts';

describe('order statistics', () => {
  it('computes type-7 quantiles (R and NumPy defaults) per group', () => {
    const g = groupBy([keyColumn(['a', 'a', 'a', 'a', 'b', 'b', 'b'])], 7);
    const q = quantilesByGroup(g, Float64Array.from([4, 1, 3, 2, 10, NaN, 30]), [0, 0.25, 0.5, 1]);
    // a: 1 2 3 4 → 1, 1.75, 2.5, 4; b: 10 30 → 10, 15, 20, 30
    expect([...q.values]).toEqual([1, 1.75, 2.5, 4, 10, 15, 20, 30]);
    expect([...q.n]).toEqual([4, 2]);
  });

  it('computes min and max, NaN for a group without values', () => {
    const g = groupBy([keyColumn(['a', 'a', 'b'])], 3);
    const m = minMaxByGroup(g, Float64Array.from([3, -1, NaN]));
    expect([...m.min]).toEqual([-1, NaN]);
    expect([...m.max]).toEqual([3, NaN]);
  });

  it('refuses probabilities outside [0, 1]', () => {
    expect(() => quantilesByGroup(groupBy([], 1), Float64Array.from([1]), [1.5])).toThrow(/probabilities/);
  });
});
