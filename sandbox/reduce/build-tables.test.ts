import { describe, expect, it } from 'vitest';
import { buildTables, type Emitted } from './build-tables.ts';
import { contributorsFromIds } from './contributors.ts';
import { keyColumn } from './testing.ts';

const emitted: Emitted = {
  rows: 6,
  keys: { district: keyColumn(['A', 'A', 'A', 'B', 'B', 'B']), sex: keyColumn(['m', 'f', 'm', 'f', 'f', null]) },
  // a job cannot make a cell look bigger by emitting its own "count"
  measures: { income: Float64Array.from([10, 20, 30, 1e9, 50, NaN]), count: Float64Array.from([1000, 1000, 1000, 1000, 1000, 1000]) },
};

describe('buildTables', () => {
  it('counts contributors itself: an emitted "count" measure changes nothing but its own sum', () => {
    const [count, fake] = buildTables(
      emitted,
      [
        { name: 'n', kind: 'count', by: ['district'] },
        { name: 'fake', kind: 'sum', by: ['district'], measure: 'count' },
      ],
      { dataset: 'population' },
    );
    expect(count!.cells.map((c) => c.value)).toEqual([3, 3]);
    expect(fake!.cells.map((c) => c.contributors)).toEqual([3, 3]);
    expect(fake!.cells.map((c) => c.value)).toEqual([3000, 3000]);
  });

  it('counts one person with many rows once', () => {
    const who = contributorsFromIds(keyColumn(['p', 'p', 'p', 'q', 'r', 's']));
    const [n, rows] = buildTables(
      emitted,
      [
        { name: 'people', kind: 'count', by: ['district'] },
        { name: 'rows', kind: 'count', by: ['district'], countOf: 'rows' },
      ],
      { dataset: 'population', contributors: who },
    );
    expect(n!.cells.map((c) => c.value)).toEqual([1, 3]);
    expect(rows!.cells.map((c) => c.value)).toEqual([3, 3]);
    expect(n!.rowsPerContributor).toBeNull();
  });

  it('clamps to declared bounds, reports it, and keeps contributors with a value', () => {
    const [sum] = buildTables(emitted, [{ name: 's', kind: 'sum', by: ['district'], measure: 'income', bounds: { lo: 0, hi: 100 } }], { dataset: 'population' });
    expect(sum!.cells.map((c) => c.value)).toEqual([60, 150]);
    expect(sum!.cells.map((c) => c.contributors)).toEqual([3, 2]);
    expect(sum!.clamped).toBe(1);
    expect(sum!.bounds).toEqual({ lo: 0, hi: 100 });
  });

  it('builds two-way tables over the full product with totals, and one-way totals', () => {
    const [two, one] = buildTables(
      emitted,
      [
        { name: 'xt', kind: 'count', by: ['district', 'sex'], totals: true },
        { name: 'hist', kind: 'count', by: [{ bins: 'income', edges: [0, 25, 100] }], totals: true },
      ],
      { dataset: 'population' },
    );
    expect(two!.layout).toBe('two-way');
    expect(two!.rowLabels).toEqual(['A', 'B']);
    expect(two!.columnLabels).toEqual(['m', 'f']);
    expect(two!.cells.map((c) => c.value)).toEqual([2, 1, 0, 2]);
    expect(two!.totals!.rows!.map((c) => c.value)).toEqual([3, 2]);
    expect(two!.totals!.columns!.map((c) => c.value)).toEqual([2, 3]);
    expect(two!.totals!.all.value).toBe(5);
    expect(one!.cells.map((c) => [c.labels, c.value])).toEqual([
      [['[0,25)'], 2],
      [['[25,100)'], 2],
      [['≥100'], 1],
    ]);
    expect(one!.totals!.all.value).toBe(5);
    expect(two!.cells[0]!.sketch).not.toBeNull();
  });

  it('refuses specs naming unknown columns, missing measures, impossible totals or repeated names', () => {
    const bad = [
      [{ name: 'a', kind: 'count', by: ['nope'] }],
      [{ name: 'a', kind: 'sum', by: ['district'] }],
      [{ name: 'a', kind: 'sum', by: ['district'], measure: 'nope' }],
      [{ name: 'a', kind: 'quantile', by: ['district'], measure: 'income' }],
      [{ name: 'a', kind: 'max', by: ['district'], measure: 'income', totals: true }],
      [
        { name: 'a', kind: 'count', by: [] },
        { name: 'a', kind: 'count', by: [] },
      ],
    ] as const;
    for (const specs of bad) expect(() => buildTables(emitted, specs, { dataset: 'population' })).toThrow(/./);
  });

  it('computes min, max, quantiles and variance tables', () => {
    const tables = buildTables(
      emitted,
      [
        { name: 'lo', kind: 'min', by: ['district'], measure: 'income' },
        { name: 'hi', kind: 'max', by: ['district'], measure: 'income' },
        { name: 'med', kind: 'quantile', by: ['district'], measure: 'income', prob: 0.5 },
        { name: 'var', kind: 'variance', by: ['district'], measure: 'income' },
        { name: 'mean', kind: 'mean', by: ['district'], measure: 'income' },
      ],
      { dataset: 'population' },
    );
    expect(tables.map((t) => t.cells[0]!.value)).toEqual([10, 30, 20, 100, 20]);
    expect(tables[0]!.cells[1]!.contributors).toBe(2);
  });
});
