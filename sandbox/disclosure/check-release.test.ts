import { describe, expect, it } from 'vitest';
import { DISCLOSURE_BY_GRADE } from '../../policies/index.ts';
import { buildTables, contributorsFromIds, type Emitted, linearRegression, logisticRegression, type TableSpec } from '../reduce/index.ts';
import { keyColumn } from '../reduce/testing.ts';
import { recoverableEntries } from './audit-suppression.ts';
import { checkRelease } from './check-release.ts';

/** 200 people in districts A (100), B (60), C (37), D (3, one named by the job), with firms' turnover. */
function emitted(): Emitted {
  const district: string[] = [];
  const sex: string[] = [];
  const turnover: number[] = [];
  const add = (d: string, k: number, t: (i: number) => number): void => {
    for (let i = 0; i < k; i++) {
      district.push(d);
      sex.push(i % 3 === 0 ? 'f' : 'm');
      turnover.push(t(i));
    }
  };
  add('A', 100, () => 10);
  add('B', 60, (i) => (i === 0 ? 100_000 : 10)); // one firm dominates B
  add('C', 37, () => 20);
  add('D', 3, () => 30);
  return {
    rows: district.length,
    keys: { district: keyColumn(district), sex: keyColumn(sex) },
    measures: { turnover: Float64Array.from(turnover), count: new Float64Array(district.length).fill(1000) },
  };
}

const build = (specs: readonly TableSpec[], e = emitted()) => buildTables(e, specs, { dataset: 'firms' });
const options = { jobId: 'job-1', licenseId: 'L1' };

describe('checkRelease', () => {
  it('refuses aggregate kinds the grade does not allow (min and max from general-3 up)', () => {
    const tables = build([{ name: 'largest', kind: 'max', by: ['district'], measure: 'turnover' }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-3'], options);
    expect(check.outcome).toBe('refuse');
    expect(check.released.tables).toEqual([]);
    expect(check.report.at(-1)).toEqual({ check: 'aggregate_kinds', outcome: 'fail', details: { allowed: DISCLOSURE_BY_GRADE['general-3'].aggregates, notAllowed: ['largest'] } });
    expect(checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-1'], options).outcome).toBe('release');
  });

  it('suppresses small cells with secondary suppression, rounds, and hides labels seen only on withheld cells', () => {
    const tables = build([{ name: 'firms', kind: 'count', by: ['district'], totals: true }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-3'], options); // min 10, round to 5
    const t = check.released.tables[0]!;
    expect(t.cells).toEqual([
      { labels: ['A'], value: 100, suppressed: null },
      { labels: ['B'], value: 60, suppressed: null },
    ]);
    expect(t.totals!.all).toEqual({ labels: [], value: 200, suppressed: null });
    expect(t.omitted).toBe(2); // D (3) and, to protect it, C (37)
    expect(t.roundedTo).toBe(5);
    expect(JSON.stringify(check.released)).not.toContain('"D"');
    expect(check.report.map((r) => [r.check, r.outcome])).toEqual([
      ['size_gate', 'pass'],
      ['aggregate_kinds', 'pass'],
      ['small_cells', 'applied'],
      ['dominance', 'pass'],
      ['differencing', 'pass'],
      ['secondary_suppression', 'applied'],
      ['rounding', 'applied'],
      ['model_checks', 'not_applicable'],
      ['human_review', 'not_applicable'],
    ]);
    expect(check.outcome).toBe('release');
  });

  it('applies the dominance rule to sums, and protects the dominated cell like a small one', () => {
    const tables = build([{ name: 'turnover', kind: 'sum', by: ['district'], measure: 'turnover', totals: true }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-2'], options);
    const labels = check.released.tables[0]!.cells.map((c) => [c.labels[0], c.suppressed]);
    // D (3 firms) is a small cell, B is dominated; together they hold enough that the total protects neither
    expect(labels).toEqual([
      ['A', null],
      ['C', null],
    ]);
    // the firm dominates the grand total too
    expect(check.released.tables[0]!.totals!.all).toEqual({ labels: [], value: null, suppressed: 'dominance' });
    expect(check.report.find((r) => r.check === 'dominance')!.details).toMatchObject({ suppressed: 2 });
  });

  it('withholds the same cells in every output over the same dimensions', () => {
    const tables = build([
      { name: 'n', kind: 'count', by: ['district'] },
      { name: 'mean', kind: 'mean', by: ['district'], measure: 'turnover' },
    ]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-2'], options);
    const shown = check.released.tables.map((t) => t.cells.map((c) => c.labels[0]));
    expect(shown[0]).toEqual(shown[1]);
    expect(shown[0]).not.toContain('B'); // dominated in the mean, so withheld in the count too
  });

  it('cannot be fooled by a job emitting its own "count"', () => {
    const tables = build([{ name: 'fake', kind: 'sum', by: ['district'], measure: 'count' }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-2'], options);
    expect(check.released.tables[0]!.cells.map((c) => c.labels[0])).toEqual(['A', 'B', 'C']);
  });

  it('protects two-way tables: no withheld entry is recoverable from the released margins', () => {
    const tables = build([{ name: 'xt', kind: 'count', by: ['district', 'sex'], totals: true }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-2'], options);
    const t = check.released.tables[0]!;
    // D's row total (3) is small, so another row total must go with it (C, the cheapest) and both rows with them
    expect(t.rowLabels).toEqual(['A', 'B']);
    expect(t.cells.every((c) => c.value !== null)).toBe(true);
    // Audit the whole pattern, counting every entry the operator does not see as withheld.
    const full = tables[0]!;
    const I = full.rowLabels!.length;
    const J = full.columnLabels!.length;
    const seen = new Map([...t.cells, ...t.totals!.rows!, ...t.totals!.columns!, t.totals!.all].map((c) => [JSON.stringify(c.labels), c.suppressed]));
    const entries = [...full.cells, ...full.totals!.rows!.map((c) => ({ ...c, labels: [c.labels[0], '*'] })), ...full.totals!.columns!.map((c) => ({ ...c, labels: ['*', c.labels[0]] })), full.totals!.all];
    const marks = entries.map((c, e) => {
      const key = e < I * J ? JSON.stringify(c.labels) : e < I * J + I || e < I * J + I + J ? JSON.stringify(c.labels.filter((l) => l !== '*')) : '[]';
      return seen.has(key) ? (seen.get(key) ?? null) : 'secondary';
    });
    const contributors = entries.map((c) => c.contributors);
    const table = { layout: 'two-way' as const, rows: I, columns: J, cells: contributors.slice(0, I * J), rowTotals: contributors.slice(I * J, I * J + I), columnTotals: contributors.slice(I * J + I, I * J + I + J), total: contributors.at(-1)! };
    expect(recoverableEntries(table, marks)).toEqual([]);
  });

  it('refuses releases over the size gate', () => {
    const tables = build([{ name: 'n', kind: 'count', by: ['district'] }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-1'], { ...options, limits: { maxRows: 2, maxCells: 100 } });
    expect(check.outcome).toBe('refuse');
    expect(check.report).toEqual([{ check: 'size_gate', outcome: 'fail', details: { rows: 4, cells: 4, tooLarge: ['n'], maxRows: 2, maxCells: 100 } }]);
  });

  it('sends core data and free-form outputs to review', () => {
    const tables = build([{ name: 'n', kind: 'count', by: ['district'] }]);
    expect(checkRelease({ tables }, DISCLOSURE_BY_GRADE.core, options).outcome).toBe('review');
    expect(checkRelease({ tables, freeForm: 1 }, DISCLOSURE_BY_GRADE['general-1'], options).outcome).toBe('review');
  });

  it('withholds models with too few contributors or residual degrees of freedom, or that separate', () => {
    const x = Float64Array.from({ length: 30 }, (_, i) => i);
    const y = Float64Array.from({ length: 30 }, (_, i) => 2 * i + (i % 3));
    const fit = linearRegression([x], y);
    const models = [{ name: 'ols', dataset: 'firms', fit }];
    expect(checkRelease({ tables: [], models }, DISCLOSURE_BY_GRADE['general-3'], options).released.models[0]).toMatchObject({ withheld: false, n: 30 });
    const small = linearRegression([x.subarray(0, 21)], y.subarray(0, 21));
    expect(checkRelease({ tables: [], models: [{ name: 'ols', dataset: 'firms', fit: small }] }, DISCLOSURE_BY_GRADE.important, options).released.models[0]).toEqual({
      name: 'ols',
      model: 'linear',
      withheld: true,
      problems: ['too_few_residual_df'],
    });
    const separated = logisticRegression([x], Float64Array.from({ length: 30 }, (_, i) => (i < 15 ? 0 : 1)));
    expect(checkRelease({ tables: [], models: [{ name: 'logit', dataset: 'firms', fit: separated }] }, DISCLOSURE_BY_GRADE['general-1'], options).released.models[0]).toMatchObject({ withheld: true, problems: ['not_converged', 'separation'] });
    expect(checkRelease({ tables: [], models }, DISCLOSURE_BY_GRADE.core, options).outcome).toBe('refuse'); // no model_fit at core
  });

  it('returns every cell for the differencing ledger with its population, withheld ones marked', () => {
    const tables = build([{ name: 'n', kind: 'count', by: ['district'], totals: true }]);
    const check = checkRelease({ tables }, DISCLOSURE_BY_GRADE['general-1'], options);
    expect(check.releasedCells.map((c) => [c.labels, c.population, c.withheld])).toEqual([
      [['A'], 100, false],
      [['B'], 60, false],
      [['C'], 37, true],
      [['D'], 3, true],
      [[], 200, false],
    ]);
    expect(check.releasedCells.every((c) => c.jobId === 'job-1' && c.dataset === 'firms')).toBe(true);
  });
});
