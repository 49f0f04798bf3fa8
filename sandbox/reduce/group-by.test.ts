import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { contributorsFromIds } from './contributors.ts';
import { groupBy } from './group-by.ts';
import { keyColumn } from './testing.ts';

describe('groupBy', () => {
  it('groups by composite keys, ordered by dictionary codes, and leaves rows with a missing key out by default', () => {
    const district = keyColumn(['A', 'B', 'A', 'A', null, 'B']);
    const sex = keyColumn(['m', 'f', 'f', 'm', 'm', 'f']);
    const g = groupBy([district, sex], 6);
    expect(g.labels).toEqual([
      ['A', 'm'],
      ['A', 'f'],
      ['B', 'f'],
    ]);
    expect([...g.groupOf]).toEqual([0, 2, 1, 0, -1, 2]);
    expect(g.excludedRows).toBe(1);
  });

  it('can keep missing keys as their own group, labelled null and ordered last', () => {
    const g = groupBy([keyColumn([null, 'x', 'y', null])], 4, { missing: 'group' });
    expect(g.labels).toEqual([['x'], ['y'], [null]]);
    expect([...g.groupOf]).toEqual([2, 0, 1, 2]);
  });

  it('merges equal dictionary strings, so a job cannot split one group into two cells with the same label', () => {
    const column = { codes: Int32Array.from([0, 1, 0, 1]), dictionary: ['A', 'A'] };
    const g = groupBy([column], 4);
    expect(g.groupCount).toBe(1);
    expect(g.labels).toEqual([['A']]);
  });

  it('refuses malformed columns with VALIDATION_FAILED and no data value in the message', () => {
    const bad = [
      { codes: Int32Array.from([0, 5]), dictionary: ['A'] },
      { codes: Int32Array.from([0]), dictionary: ['A'] },
      { codes: Int32Array.from([0, -2]), dictionary: ['A'] },
    ];
    for (const column of bad) {
      try {
        groupBy([column], 2, { names: ['district'] });
        expect.unreachable();
      } catch (err) {
        expect(isAppError(err) && err.code).toBe('VALIDATION_FAILED');
        expect(isAppError(err) && err.details).toEqual({ column: 'district' });
      }
    }
  });

  it('with no keys makes one group of every row', () => {
    const g = groupBy([], 3);
    expect(g.groupCount).toBe(1);
    expect(g.labels).toEqual([[]]);
    expect([...g.groupOf]).toEqual([0, 0, 0]);
  });

  it('caps rows per contributor, keeping the first in row order', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'q', 'p']));
    const g = groupBy([keyColumn(['A', 'B', 'A', 'A'])], 4, { contributors: who, maxRowsPerContributor: 1 });
    expect([...g.groupOf]).toEqual([0, -1, 0, -1]);
    expect(g.rowsPerContributor).toBe(1);
    expect(groupBy([keyColumn(['A', 'B', 'A', 'A'])], 4, { contributors: who }).rowsPerContributor).toBeNull();
  });

  it('puts every row with the same keys in one group and no two groups share keys (property)', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, value), { maxLength: 200 }), fc.boolean(), (rows, keepMissing) => {
        const cols = [0, 1, 2].map((j) => keyColumn(rows.map((r) => r[j]!)));
        const g = groupBy(cols, rows.length, { missing: keepMissing ? 'group' : 'exclude' });
        const seen = new Set(g.labels.map((l) => JSON.stringify(l)));
        expect(seen.size).toBe(g.groupCount);
        rows.forEach((r, i) => {
          const gi = g.groupOf[i]!;
          if (!keepMissing && r.includes(null)) expect(gi).toBe(-1);
          else expect(g.labels[gi]).toEqual(r);
        });
      }),
    );
  });

  it('handles key spaces too large for a dense table', () => {
    const n = 3000;
    const a = keyColumn(Array.from({ length: n }, (_, i) => `a${i}`));
    const b = keyColumn(Array.from({ length: n }, (_, i) => `b${(i * 7) % n}`));
    const c = keyColumn(Array.from({ length: n }, (_, i) => `c${(i * 13) % n}`));
    const g = groupBy([a, b, c], n);
    expect(g.groupCount).toBe(n);
    expect(g.labels[5]).toEqual(['a5', 'b35', 'c65']);
  });
});
