// DP tables: accuracy as documented, intervals that cover, labels that only declared domains or crowds can show,
// and withholding decided from noisy counts.
import { describe, expect, it } from 'vitest';
import { rhoFromEpsilon } from '../dp/index.ts';
import { SeededRandom } from '../dp/testing.ts';
import { buildTables, contributorsFromIds, type Emitted, type TableSpec } from '../reduce/index.ts';
import { keyColumn } from '../reduce/testing.ts';
import { type DpTableRequest, QUANTILE_BINS, releaseDpTables } from './dp-tables.ts';

/** n people per region; income = base + i. One person, "solo", in region Z. */
function people(regions: Record<string, number>): Emitted {
  const region: string[] = [];
  const income: number[] = [];
  for (const [name, n] of Object.entries(regions)) {
    for (let i = 0; i < n; i++) {
      region.push(name);
      income.push(20_000 + ((i * 7919) % 60_000));
    }
  }
  return { rows: region.length, keys: { region: keyColumn(region) }, measures: { income: Float64Array.from(income) } };
}

const build = (e: Emitted, specs: TableSpec[]) => buildTables(e, specs, { dataset: 'population', maxRowsPerContributor: 1, histogramBins: QUANTILE_BINS });
const DEFAULT_RHO = rhoFromEpsilon(1);
const options = (seed: number) => ({ rho: DEFAULT_RHO, minCellCount: 20, roundingBase: 1, rng: new SeededRandom(seed) });

describe('counts at the default ε', () => {
  it('keep a count of 1,000 people within ±2 % in at least 95 % of releases, and the interval covers the truth', () => {
    const tables = build(people({ A: 1000 }), [{ name: 'n', kind: 'count', by: ['region'] }]);
    let within = 0;
    let covered = 0;
    const runs = 400;
    for (let s = 0; s < runs; s++) {
      const cell = releaseDpTables([{ table: tables[0]!, domain: [['A']] }], options(s)).tables[0]!.cells[0]!;
      if (Math.abs(cell.value! - 1000) <= 20) within++;
      if (cell.interval![0] <= 1000 && 1000 <= cell.interval![1]) covered++;
    }
    expect(within / runs).toBeGreaterThanOrEqual(0.95);
    expect(covered / runs).toBeGreaterThan(0.92);
    expect(covered / runs).toBeLessThan(0.99);
  });
});

describe('labels', () => {
  it('shows every declared label, rows or not, and drops labels outside the declared domain', () => {
    const tables = build(people({ A: 300, B: 200, X: 50 }), [{ name: 'n', kind: 'count', by: ['region'] }]);
    const release = releaseDpTables([{ table: tables[0]!, domain: [['A', 'B', 'C']] }], options(1)).tables[0]!;
    expect(release.cells.map((c) => c.labels[0])).toEqual(['A', 'B', 'C']);
    expect(release.domain).toBe('declared');
    // C has nobody: its noisy count is small, so it is withheld as a small cell (decided on the noisy count)
    expect(release.cells[2]!.suppressed).toBe('small_cell');
  });

  it('never shows a label held by one person when labels come from the data', () => {
    const tables = build(people({ A: 5000, solo: 1 }), [{ name: 'n', kind: 'count', by: ['region'] }]);
    for (let s = 0; s < 300; s++) {
      const release = releaseDpTables([{ table: tables[0]!, domain: null }], options(s)).tables[0]!;
      expect(release.cells.map((c) => c.labels[0])).toEqual(['A']);
      expect(release.selectionThreshold).toBeGreaterThan(30);
    }
  });

  it('shows a label many people share, with the threshold it cleared', () => {
    const tables = build(people({ A: 5000, B: 400 }), [{ name: 'n', kind: 'count', by: ['region'] }]);
    const release = releaseDpTables([{ table: tables[0]!, domain: null }], options(3)).tables[0]!;
    expect(release.cells.map((c) => c.labels[0])).toEqual(['A', 'B']);
    expect(release.domain).toBe('selected');
  });
});

describe('means, sums and quantiles', () => {
  const e = people({ A: 2000, B: 800 });
  const specs: TableSpec[] = [
    { name: 'mean', kind: 'mean', by: ['region'], measure: 'income', bounds: { lo: 0, hi: 200_000 } },
    { name: 'median', kind: 'quantile', by: ['region'], measure: 'income', bounds: { lo: 0, hi: 200_000 }, prob: 0.5 },
    { name: 'low', kind: 'min', by: ['region'], measure: 'income', bounds: { lo: 0, hi: 200_000 } },
  ];
  const tables = build(e, specs);
  const truth = (region: string, f: (xs: number[]) => number) => {
    const codes = (e.keys.region as { codes: Int32Array; dictionary: string[] });
    const xs = [...e.measures.income!].filter((_, i) => codes.dictionary[codes.codes[i]!] === region).sort((a, b) => a - b);
    return f(xs);
  };

  it('cover the true mean and median with their 95 % intervals about 95 % of the time', () => {
    const requests: DpTableRequest[] = tables.map((table) => ({ table, domain: [['A', 'B']] }));
    const meanA = truth('A', (xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
    const medianA = truth('A', (xs) => xs[Math.floor(xs.length / 2)]!);
    let meanCovered = 0;
    let medianCovered = 0;
    const runs = 200;
    for (let s = 0; s < runs; s++) {
      const [mean, median] = releaseDpTables(requests, options(100 + s)).tables;
      const m = mean!.cells[0]!;
      const q = median!.cells[0]!;
      if (m.interval![0] <= meanA && meanA <= m.interval![1]) meanCovered++;
      // the tree's resolution is (hi − lo)/512 ≈ 390: an interval counts as covering within one bin
      if (q.interval![0] - 400 <= medianA && medianA <= q.interval![1] + 400) medianCovered++;
      // the mean's noise: sd of the centred sum over the count (≈ 690 here); 5 sd is never reached by chance
      expect(Math.abs(m.value! - meanA)).toBeLessThan((5 * mean!.noise.sd) / 2000);
    }
    expect(meanCovered / runs).toBeGreaterThan(0.9);
    expect(medianCovered / runs).toBeGreaterThan(0.9);
  });

  it('never releases the exact minimum, and keeps it near the low end', () => {
    const requests: DpTableRequest[] = tables.map((table) => ({ table, domain: [['A', 'B']] }));
    const minA = truth('A', (xs) => xs[0]!);
    for (let s = 0; s < 50; s++) {
      const low = releaseDpTables(requests, options(500 + s)).tables[2]!.cells[0]!;
      expect(low.value).not.toBe(minA);
      expect(low.value!).toBeLessThan(30_000);
    }
  });

  it('splits ρ over every noised statistic: a mean takes two shares', () => {
    const requests: DpTableRequest[] = tables.map((table) => ({ table, domain: [['A', 'B']] }));
    const release = releaseDpTables(requests, options(9));
    // mean 2 + quantile 1 + min 1, plus one people count for the group (no count table in it)
    expect(release.summary.units).toBe(5);
    expect(release.tables[0]!.noise.rho).toBeCloseTo((2 * DEFAULT_RHO) / 5, 12);
  });
});

describe('contributors with many rows', () => {
  it('bounds each person to k rows: sensitivities scale with k, and counts stay unbiased', () => {
    const ids: string[] = [];
    const region: string[] = [];
    for (let p = 0; p < 600; p++) for (let r = 0; r < 3; r++) {
      ids.push(`p${p}`);
      region.push(p % 2 ? 'A' : 'B');
    }
    const e: Emitted = { rows: ids.length, keys: { region: keyColumn(region) }, measures: {} };
    const contributors = contributorsFromIds(keyColumn(ids) as { codes: Int32Array; dictionary: string[] });
    const [rows] = buildTables(e, [{ name: 'visits', kind: 'count', by: ['region'], countOf: 'rows' }], { dataset: 'x', contributors, maxRowsPerContributor: 2 });
    const release = releaseDpTables([{ table: rows!, domain: [['A', 'B']] }], options(4)).tables[0]!;
    expect(release.rowsPerContributor).toBe(2);
    // 300 people × 2 rows kept each
    expect(Math.abs(release.cells[0]!.value! - 600)).toBeLessThan(80);
  });
});
