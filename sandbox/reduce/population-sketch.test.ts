import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contributorsFromIds, contributorsFromRows } from './contributors.ts';
import { groupBy } from './group-by.ts';
import { populationSketches, sketchDifference, sketchDistanceBound, sketchFromBytes, sketchToBytes } from './population-sketch.ts';
import { keyColumn } from './testing.ts';

/** Sketches of subsets of 0..n-1 (given as membership flags per subset), rows as contributors. */
function sketchesOf(n: number, members: readonly ((i: number) => boolean)[]) {
  const who = contributorsFromRows(n);
  return members.map((inside) => {
    const g = groupBy([keyColumn(Array.from({ length: n }, (_, i) => (inside(i) ? 'in' : null)))], n, { contributors: who });
    return populationSketches(g)[0]!;
  });
}

describe('population sketches', () => {
  it('measure small symmetric differences exactly, whatever the populations’ size', () => {
    const [all, again, lessOne, lessTwelve, less17, less18] = sketchesOf(5000, [
      () => true,
      () => true,
      (i) => i !== 1234,
      (i) => i < 4988,
      (i) => i !== 17,
      (i) => i !== 18,
    ]);
    const exact = (size: number) => ({ size, exact: true });
    expect(sketchDifference(all!, again!)).toEqual(exact(0));
    expect(sketchDifference(all!, lessOne!)).toEqual(exact(1));
    expect(sketchDifference(lessOne!, all!)).toEqual(exact(1));
    expect(sketchDifference(all!, lessTwelve!)).toEqual(exact(12));
    // same size, one person swapped for another: a count-only rule sees nothing
    expect(sketchDifference(less17!, less18!)).toEqual(exact(2));
  });

  it('resolve differences up to 49 contributors nearly always, and otherwise estimate them', () => {
    let unresolved = 0;
    for (let trial = 0; trial < 50; trial++) {
      const d = 1 + ((trial * 7) % 49);
      const [a, b] = sketchesOf(3000, [() => true, (i) => i < trial * 11 || i >= trial * 11 + d]);
      const got = sketchDifference(a!, b!);
      if (got.exact) expect(got.size).toBe(d);
      else {
        unresolved++;
        expect(got.size).toBeGreaterThan(d / 2);
        expect(got.size).toBeLessThan(d * 2);
      }
    }
    expect(unresolved).toBeLessThanOrEqual(5);
    const [x, y] = sketchesOf(3000, [(i) => i < 1500, (i) => i >= 1500]);
    expect(sketchDifference(x!, y!)).toEqual({ size: Infinity, exact: false });
  });

  it('have a cheap distance bound that never exceeds the true difference (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 499 }), { maxLength: 80 }), fc.integer({ min: 0, max: 499 }), (removed, start) => {
        const gone = new Set(removed);
        const [a, b] = sketchesOf(500, [(i) => i >= start, (i) => i >= start && !gone.has(i)]);
        if (!a || !b) return;
        const d = removed.filter((i) => i >= start).length;
        expect(sketchDistanceBound(a, b)).toBeLessThanOrEqual(d);
      }),
      { numRuns: 50 },
    );
  });

  it('count each contributor once per group, so repeated rows do not corrupt the sketch', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'q', 'r']));
    const one = populationSketches(groupBy([keyColumn(['A', 'A', 'A', 'A'])], 4, { contributors: who }))[0]!;
    const who2 = contributorsFromIds(keyColumn(['p', 'q']));
    const other = populationSketches(groupBy([keyColumn(['A', 'A'])], 2, { contributors: who2 }))[0]!;
    expect(sketchDifference(one, other)).toEqual({ size: 1, exact: true });
  });

  it('leave out rows without a value when values are given', () => {
    const g = groupBy([], 3);
    const [withValues] = populationSketches(g, Float64Array.from([1, NaN, 2]));
    const [all] = populationSketches(g);
    expect(sketchDifference(withValues!, all!)).toEqual({ size: 1, exact: true });
  });

  it('round-trip through their storage bytes', () => {
    const [s] = sketchesOf(100, [(i) => i % 3 === 0]);
    const back = sketchFromBytes(sketchToBytes(s!));
    expect(sketchDifference(back, s!)).toEqual({ size: 0, exact: true });
    expect(() => sketchFromBytes(new Uint8Array(3))).toThrow(TypeError);
  });
});
