import { describe, expect, it } from 'vitest';
import { DISCLOSURE_BY_GRADE } from '../../policies/index.ts';
import { buildTables, contributorsFromIds, type KeyColumn } from '../reduce/index.ts';
import { keyColumn } from '../reduce/testing.ts';
import { checkRelease } from './check-release.ts';
import { differencingCheck } from './differencing.ts';

const rules = DISCLOSURE_BY_GRADE['general-2']; // min cell count 5, no rounding
const N = 1000;
const people = keyColumn(Array.from({ length: N }, (_, i) => `person-${i}`));
const who = contributorsFromIds(people);
const districts = Array.from({ length: N }, (_, i) => ['X', 'Y', 'Z', 'W'][i % 4]!);
const income = Float64Array.from({ length: N }, (_, i) => 3000 + ((i * 37) % 5000));

function release(jobId: string, district: KeyColumn, earlier: Parameters<typeof checkRelease>[2]['releasedCells'] = []) {
  const tables = buildTables({ rows: N, keys: { district }, measures: { income } }, [{ name: 'income', kind: 'sum', by: ['district'], measure: 'income', bounds: { lo: 0, hi: 10000 } }], { dataset: 'population', contributors: who });
  return checkRelease({ tables }, rules, { jobId, licenseId: 'L1', releasedCells: earlier });
}

describe('differencing check', () => {
  it('blocks the classic attack: the total of district X, then of district X less one person', () => {
    const first = release('job-1', keyColumn(districts));
    expect(first.released.tables[0]!.cells.every((c) => c.suppressed === null)).toBe(true);
    // the same operator (or another) filters out person 8, who lives in X
    const second = release('job-2', keyColumn(districts.map((d, i) => (i === 8 ? null : d))), first.releasedCells);
    const cells = second.released.tables[0]!.cells;
    expect(second.report.find((r) => r.check === 'differencing')).toMatchObject({ outcome: 'applied', details: { suppressed: 1 } });
    // X is withheld (and its label with it: it is shown nowhere else in this table); Y, Z, W are unchanged
    expect(cells.map((c) => c.labels[0])).toEqual(['Y', 'Z', 'W']);
    expect(cells.every((c) => c.value !== null)).toBe(true);
    expect(second.released.tables[0]!.omitted).toBe(1);
  });

  it('blocks the complement of a withheld cell: the partner withheld to protect a small one, released alone later', () => {
    // a one-way table with its total: V (3 people) is withheld, and a partner with it so that total − released ≠ V
    const few = districts.map((d, i) => (i < 3 ? 'V' : d));
    const withTotals = (jobId: string, district: KeyColumn, earlier: Parameters<typeof checkRelease>[2]['releasedCells'] = []) =>
      checkRelease({ tables: buildTables({ rows: N, keys: { district }, measures: { income } }, [{ name: 'income', kind: 'sum', by: ['district'], measure: 'income', bounds: { lo: 0, hi: 10000 }, totals: true }], { dataset: 'population', contributors: who }) }, rules, { jobId, licenseId: 'L1', releasedCells: earlier });
    const first = withTotals('job-1', keyColumn(few));
    // the partner: withheld although large (it is left out of the shown table, its label seen nowhere else)
    const partner = first.releasedCells.find((c) => c.withheld && c.population >= 5 && c.labels.length === 1)!;
    expect(partner).toBeDefined();
    expect(first.released.tables[0]!.cells.map((c) => c.labels[0])).not.toContain(partner.labels[0]);
    // the partner's population again, alone and relabelled: total − released − partner would give V away
    const alone = release('job-2', keyColumn(few.map((d) => (d === partner.labels[0] ? 'only them' : null))), first.releasedCells);
    expect(alone.released.tables[0]!.cells.every((c) => c.value === null)).toBe(true);
    expect(alone.report.find((r) => r.check === 'differencing')).toMatchObject({ outcome: 'applied' });
  });

  it('is not fooled by relabelling the group: populations are compared, not labels', () => {
    const first = release('job-1', keyColumn(districts));
    const second = release('job-2', keyColumn(districts.map((d, i) => (i === 8 ? null : d === 'X' ? 'the district formerly known as X' : d))), first.releasedCells);
    expect(second.report.find((r) => r.check === 'differencing')!.details).toMatchObject({ suppressed: 1 });
  });

  it('passes the same cells released again, and cells of unrelated populations', () => {
    const first = release('job-1', keyColumn(districts));
    const again = release('job-2', keyColumn(districts), first.releasedCells);
    expect(again.report.find((r) => r.check === 'differencing')!.outcome).toBe('pass');
    // Each district vs. another with the same size: disjoint, so the difference is large
    expect(again.released.tables[0]!.cells).toHaveLength(4);
  });

  it('compares cells of different outputs in one release', () => {
    const tables = buildTables(
      { rows: N, keys: { district: keyColumn(districts), minusOne: keyColumn(districts.map((d, i) => (i === 8 ? null : d))) }, measures: { income } },
      [
        { name: 'a', kind: 'sum', by: ['district'], measure: 'income', bounds: { lo: 0, hi: 10000 } },
        { name: 'b', kind: 'sum', by: ['minusOne'], measure: 'income', bounds: { lo: 0, hi: 10000 } },
      ],
      { dataset: 'population', contributors: who },
    );
    const check = checkRelease({ tables }, rules, { jobId: 'j', licenseId: 'L1' });
    expect(check.released.tables[1]!.cells.map((c) => c.labels[0])).toEqual(['Y', 'Z', 'W']);
  });

  it('reports candidates it cannot check', () => {
    expect(differencingCheck([], [{ dataset: 'd', output: 'o', labels: [], population: 10, sketch: null }], 5)).toEqual({ blocked: [], hits: [], unchecked: 1 });
  });
});
