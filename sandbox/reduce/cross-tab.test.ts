import { describe, expect, it } from 'vitest';
import { contributorsFromIds } from './contributors.ts';
import { crossTab } from './cross-tab.ts';
import { binColumn, histogram } from './histogram.ts';
import { keyColumn } from './testing.ts';

describe('crossTab', () => {
  it('counts every combination, empty ones included, with margins', () => {
    const rows = keyColumn(['A', 'A', 'B', 'B', 'B']);
    const cols = keyColumn(['x', 'y', 'x', 'x', 'x']);
    const t = crossTab(rows, cols, 5);
    expect(t.rowLabels).toEqual(['A', 'B']);
    expect(t.columnLabels).toEqual(['x', 'y']);
    expect([...t.cells.contributors]).toEqual([1, 1, 3, 0]);
    expect([...t.rowTotals.contributors]).toEqual([2, 3]);
    expect([...t.columnTotals.contributors]).toEqual([4, 1]);
    expect(t.total.contributors).toBe(5);
  });

  it('counts a person once in a margin even when they appear in several of its cells', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'q']));
    const t = crossTab(keyColumn(['A', 'A', 'A']), keyColumn(['x', 'y', 'y']), 3, { contributors: who });
    expect([...t.cells.contributors]).toEqual([1, 2]);
    expect(t.rowTotals.contributors[0]).toBe(2);
    expect(t.total).toEqual({ rows: 3, contributors: 2 });
  });
});

describe('histogram', () => {
  it('bins by edges with open ends, in edge order, labels as the policies bucketer writes them', () => {
    const h = histogram(Float64Array.from([-5, 0, 9.99, 10, 25, NaN, 100]), [0, 10, 20]);
    expect(h.labels).toEqual(['<0', '[0,10)', '[10,20)', '≥20']);
    expect([...h.rows]).toEqual([1, 2, 1, 2]);
    expect([...binColumn(Float64Array.from([NaN]), [1]).codes]).toEqual([-1]);
  });

  it('refuses edges that are not strictly ascending', () => {
    expect(() => binColumn(Float64Array.from([1]), [1, 1])).toThrow(/ascending/);
    expect(() => binColumn(Float64Array.from([1]), [])).toThrow(/empty/);
  });
});
