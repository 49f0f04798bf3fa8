// Partition selection thresholds: the tail probability the threshold promises, checked against the normal tail.
import { describe, expect, it } from 'vitest';
import { erfc, selectionThreshold, upperNormalQuantile } from './selection.ts';

describe('upperNormalQuantile', () => {
  it('inverts the normal tail from 0.4 down to 1e-15', () => {
    for (const q of [0.4, 0.1, 0.025, 1e-3, 1e-6, 1e-9, 1e-12, 1e-15]) {
      const z = upperNormalQuantile(q);
      expect(Math.abs(0.5 * erfc(z / Math.SQRT2) - q) / q).toBeLessThan(1e-5);
    }
    expect(upperNormalQuantile(0.025)).toBeCloseTo(1.95996, 4);
  });

  it('gives a threshold a lone contributor clears with probability at most δ/k', () => {
    const sd = 6.5;
    const t = selectionThreshold(sd, 4, 1e-9);
    // P(1 + N(0, sd²) >= t) = Φ̄((t - 1) / sd)
    expect(0.5 * erfc((t - 1) / sd / Math.SQRT2)).toBeLessThanOrEqual(1e-9 / 4);
    expect(t).toBeGreaterThan(1 + 6 * sd);
  });
});
