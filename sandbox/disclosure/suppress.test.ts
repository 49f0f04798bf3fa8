import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recoverableEntries } from './audit-suppression.ts';
import { suppressSmallCells } from './suppress.ts';
import { type ContributorTable, entryContributors, type SuppressionMark, tableLines } from './table-layout.ts';

function twoWay(rows: number, columns: number, cells: readonly number[]): ContributorTable {
  const rowTotals = Array.from({ length: rows }, (_, r) => cells.slice(r * columns, (r + 1) * columns).reduce((a, b) => a + b, 0));
  const columnTotals = Array.from({ length: columns }, (_, c) => Array.from({ length: rows }, (_, r) => cells[r * columns + c]!).reduce((a, b) => a + b, 0));
  return { layout: 'two-way', rows, columns, cells, rowTotals, columnTotals, total: rowTotals.reduce((a, b) => a + b, 0) };
}

/** The properties every pattern must have, whatever the table. */
function expectSafe(table: ContributorTable, marks: readonly SuppressionMark[], threshold: number): void {
  const contributors = entryContributors(table);
  contributors.forEach((n, e) => {
    if (n >= 1 && n < threshold) expect(marks[e]).not.toBeNull();
  });
  // No withheld entry is determined by the released entries and the totals (exact linear-algebra audit).
  expect(recoverableEntries(table, marks)).toEqual([]);
  for (const { members, total } of tableLines(table)) {
    const withheld = [...members, total].filter((e) => marks[e] !== null);
    expect(withheld.length).not.toBe(1);
    if (marks[total] === null) {
      const hidden = members.filter((e) => marks[e] !== null).reduce((s, e) => s + contributors[e]!, 0);
      expect(hidden === 0 || hidden >= threshold).toBe(true);
    }
  }
}

describe('suppressSmallCells', () => {
  it('suppresses small cells and a second cell in a one-way table with a total', () => {
    const table: ContributorTable = { layout: 'one-way', cells: [120, 3, 45, 60], total: 228 };
    const { marks, primary, secondary } = suppressSmallCells(table, 10);
    expect(marks).toEqual([null, 'small_cell', 'secondary', null, null]);
    expect(primary).toBe(1);
    expect(secondary).toBe(1);
  });

  it('keeps adding cells until the withheld ones hold at least the threshold together', () => {
    const { marks } = suppressSmallCells({ layout: 'one-way', cells: [2, 1, 2, 100], total: 105 }, 10);
    // 2 + 1 + 2 = 5 < 10: the total minus 100 would reveal a group of five, so 100 goes too
    expect(marks).toEqual(['small_cell', 'small_cell', 'small_cell', 'secondary', null]);
  });

  it('withholds the total of a one-way table with a single cell', () => {
    const { marks } = suppressSmallCells({ layout: 'one-way', cells: [3], total: 3 }, 5);
    expect(marks).toEqual(['small_cell', 'small_cell']);
  });

  it('needs no secondary suppression without totals', () => {
    const { marks } = suppressSmallCells({ layout: 'flat', cells: [1, 50, 50] }, 5);
    expect(marks).toEqual(['small_cell', null, null]);
  });

  it('leaves zero cells alone unless asked', () => {
    expect(suppressSmallCells({ layout: 'flat', cells: [0, 1] }, 5).marks).toEqual([null, 'small_cell']);
    expect(suppressSmallCells({ layout: 'flat', cells: [0, 1] }, 5, { suppressZeros: true }).marks).toEqual(['small_cell', 'small_cell']);
  });

  it('protects a single small cell of a two-way table with a rectangle of suppressions', () => {
    const table = twoWay(3, 3, [50, 40, 30, 20, 2, 60, 70, 80, 90]);
    const { marks } = suppressSmallCells(table, 5);
    expectSafe(table, marks, 5);
    expect(marks.filter((m) => m === 'secondary').length).toBe(3);
  });

  it('keeps primary marks decided elsewhere (dominance) and protects them too', () => {
    const table: ContributorTable = { layout: 'one-way', cells: [40, 50, 60], total: 150 };
    const primary: SuppressionMark[] = [null, 'dominance', null, null];
    const { marks } = suppressSmallCells(table, 5, { primary });
    expect(marks).toEqual(['secondary', 'dominance', null, null]);
  });

  it('never leaves a withheld entry of a one-way table recoverable (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 12 }), (cells, t) => {
        const table: ContributorTable = { layout: 'one-way', cells, total: cells.reduce((a, b) => a + b, 0) };
        expectSafe(table, suppressSmallCells(table, t).marks, t);
      }),
    );
  });

  it('never leaves a withheld entry of a two-way table recoverable, nor a row or column with exactly one withheld (property)', () => {
    const table = fc
      .record({ rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 6 }) })
      .chain(({ rows, columns }) =>
        fc.record({
          rows: fc.constant(rows),
          columns: fc.constant(columns),
          cells: fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 200 })), { minLength: rows * columns, maxLength: rows * columns }),
        }),
      );
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 12 }), fc.boolean(), ({ rows, columns, cells }, t, zeros) => {
        const tab = twoWay(rows, columns, cells);
        expectSafe(tab, suppressSmallCells(tab, t, { suppressZeros: zeros }).marks, t);
      }),
      { numRuns: 300 },
    );
  });

  it('audits a pattern independently: a single withheld cell in a row with a released total is recoverable', () => {
    const table = twoWay(2, 2, [10, 10, 10, 10]);
    expect(recoverableEntries(table, ['small_cell', null, null, null, null, null, null, null, null])).toEqual([0]);
    expect(recoverableEntries(table, ['small_cell', 'secondary', 'secondary', 'secondary', null, null, null, null, null])).toEqual([]);
  });

  it('refuses a bad threshold or marks of the wrong length', () => {
    expect(() => suppressSmallCells({ layout: 'flat', cells: [1] }, 0)).toThrow(TypeError);
    expect(() => suppressSmallCells({ layout: 'flat', cells: [1] }, 5, { primary: [] })).toThrow(TypeError);
  });
});
