// Tables reduced chunk by chunk (whole contributors per chunk) and merged are the tables of the whole: every count,
// contributor count, sum, mean, variance, extreme, exact quantile, top contribution, population sketch and leaf
// histogram, with totals and two-way margins — and the contribution cap holds across chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregateTable, TableCell } from './aggregate-table.ts';
import { buildTables, type Emitted, type TableSpec } from './build-tables.ts';
import { contributorsFromIds } from './contributors.ts';
import { TableMerger } from './merge-tables.ts';
import { keyColumn } from './testing.ts';

const bounds = { lo: 0, hi: 100 };
const SPECS: TableSpec[] = [
  { name: 'people', kind: 'count', by: ['region'], totals: true },
  { name: 'rows', kind: 'count', by: ['region'], countOf: 'rows' },
  { name: 'sum', kind: 'sum', by: ['region', 'sex'], measure: 'x', bounds, totals: true },
  { name: 'mean', kind: 'mean', by: ['region'], measure: 'x', bounds, totals: true },
  { name: 'variance', kind: 'variance', by: ['sex'], measure: 'x', bounds },
  { name: 'min', kind: 'min', by: ['region'], measure: 'x', bounds },
  { name: 'max', kind: 'max', by: ['sex', 'region'], measure: 'x', bounds },
  { name: 'median', kind: 'quantile', by: ['region'], measure: 'x', bounds, prob: 0.5 },
  { name: 'p90', kind: 'quantile', by: [], measure: 'x', bounds, prob: 0.9 },
  { name: 'bands', kind: 'count', by: [{ bins: 'x', edges: [20, 50] }, 'sex'], totals: true },
];

interface Data {
  person: string[];
  region: (string | null)[];
  sex: (string | null)[];
  x: number[];
}

const data = fc.integer({ min: 1, max: 120 }).chain((n) =>
  fc.record({
    person: fc.array(fc.constantFrom(...Array.from({ length: 30 }, (_, k) => `p${k}`)), { minLength: n, maxLength: n }),
    region: fc.array(fc.option(fc.constantFrom('东城', '西城', '朝阳', 'z'), { nil: null, freq: 8 }), { minLength: n, maxLength: n }),
    sex: fc.array(fc.option(fc.constantFrom('男', '女'), { nil: null, freq: 10 }), { minLength: n, maxLength: n }),
    // values beyond the bounds are clamped; NaN is missing
    x: fc.array(fc.oneof(fc.integer({ min: -20, max: 130 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(NaN)), { minLength: n, maxLength: n }),
  }),
);

function build(d: Data, rows: readonly number[], cap: number): AggregateTable[] {
  const emitted: Emitted = {
    rows: rows.length,
    keys: { region: keyColumn(rows.map((i) => d.region[i]!)), sex: keyColumn(rows.map((i) => d.sex[i]!)) },
    measures: { x: Float64Array.from(rows, (i) => d.x[i]!) },
  };
  const contributors = contributorsFromIds(keyColumn(rows.map((i) => d.person[i]!)));
  return buildTables(emitted, SPECS, { dataset: 'test', contributors, maxRowsPerContributor: cap, histogramBins: 16, keepQuantileValues: true });
}

const cellsByLabels = (cells: readonly TableCell[]) => new Map(cells.map((c) => [JSON.stringify(c.labels), c]));

function expectSameCell(merged: TableCell, whole: TableCell, where: string): void {
  expect(merged.contributors, where).toBe(whole.contributors);
  expect(merged.n, where).toBe(whole.n);
  for (const f of ['value', 'sum', 'top1', 'top2', 'magnitude'] as const) {
    const [a, b] = [merged[f], whole[f]];
    if (Number.isNaN(b)) expect(a, `${where} ${f}`).toBeNaN();
    else expect(Math.abs(a - b), `${where} ${f}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  }
  expect(merged.sketch ? Array.from(merged.sketch.data) : null, `${where} sketch`).toEqual(whole.sketch ? Array.from(whole.sketch.data) : null);
}

describe('TableMerger', () => {
  it('merges contributor-whole chunks into exactly the tables of the whole', () => {
    fc.assert(
      fc.property(data, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (d, chunks, cap, seed) => {
        // each person's rows go to one chunk (chosen from the person), in row order
        const chunkOf = (p: string) => (Math.abs(hash(p) ^ seed) % chunks);
        const merger = new TableMerger();
        for (let k = 0; k < chunks; k++) {
          const rows = d.person.flatMap((p, i) => (chunkOf(p) === k ? [i] : []));
          if (rows.length > 0) merger.add(build(d, rows, cap));
        }
        const merged = merger.result()!;
        const whole = build(d, d.person.map((_, i) => i), cap);
        whole.forEach((w, t) => {
          const m = merged[t]!;
          expect(m.clamped).toBe(w.clamped);
          expect(m.excludedRows).toBe(w.excludedRows);
          expect(m.cells.length, w.name).toBe(w.cells.length);
          const mine = cellsByLabels(m.cells);
          const mineIndex = new Map(m.cells.map((c, g) => [JSON.stringify(c.labels), g]));
          w.cells.forEach((c, g) => {
            const key = JSON.stringify(c.labels);
            expectSameCell(mine.get(key)!, c, `${w.name} ${key}`);
            if (w.histograms) {
              const h = mineIndex.get(key)!;
              expect(Array.from(m.histograms!.counts.subarray(h * 16, h * 16 + 16))).toEqual(Array.from(w.histograms.counts.subarray(g * 16, g * 16 + 16)));
            }
          });
          if (w.rowLabels) {
            expect(new Set(m.rowLabels)).toEqual(new Set(w.rowLabels));
            expect(new Set(m.columnLabels)).toEqual(new Set(w.columnLabels));
          }
          if (w.totals) {
            expectSameCell(m.totals!.all, w.totals.all, `${w.name} total`);
            for (const side of ['rows', 'columns'] as const) {
              const mm = cellsByLabels(m.totals![side] ?? []);
              for (const c of w.totals[side] ?? []) expectSameCell(mm.get(JSON.stringify(c.labels))!, c, `${w.name} ${side} ${JSON.stringify(c.labels)}`);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the contribution cap across chunks: a person with rows in every chunk of another job still adds k rows', () => {
    // one person with 6 rows and five people with one: chunked by person, capped at 2 rows each
    const d: Data = { person: ['a', 'a', 'b', 'a', 'c', 'a', 'd', 'a', 'e', 'a', 'f'], region: Array(11).fill('r'), sex: Array(11).fill('男'), x: Array(11).fill(10) };
    const merger = new TableMerger();
    merger.add(build(d, [0, 1, 3, 5, 7, 9], 2));
    merger.add(build(d, [2, 4, 6, 8, 10], 2));
    const rows = merger.result()![1]!;
    expect(rows.cells.map((c) => c.value)).toEqual([2 + 5]);
    expect(rows.rowsPerContributor).toBe(2);
  });
});

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
