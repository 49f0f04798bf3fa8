import { describe, expect, it } from 'vitest';
import { checkPoliciesAgainstRegistry, loadPolicies } from '../../policies/index.ts';
import { recoverableEntries } from '../disclosure/index.ts';
import { contributorsFromIds } from '../reduce/index.ts';
import { computeStatistic, publicRules, toCsv } from './compute.ts';
import { ageBand, keyColumn, OPEN_STATISTICS, publishedRegion, statisticDefinition, TOTAL_LABEL } from './specs.ts';

const policies = loadPolicies();
const residents = OPEN_STATISTICS.residents_by_district_age!;
const AS_OF = '2024-06-30';

/** People as (region, birth month, income); ids are their positions. */
function input(people: readonly [string, string, number | null][]) {
  return {
    columns: {
      region_code: keyColumn(people.map((p) => p[0])),
      birth_date: keyColumn(people.map((p) => p[1])),
      annual_income: Float64Array.from(people, (p) => p[2] ?? NaN),
    },
    rowCount: people.length,
    contributors: contributorsFromIds(keyColumn(people.map((_, i) => `p${i}`))),
    asOf: AS_OF,
  };
}

const many = (n: number, region: string, birth: string, income: number | null = 50_000): [string, string, number | null][] =>
  Array.from({ length: n }, (_, i) => [region, birth, income === null ? null : income + (i % 7) * 1000]);

describe('computeStatistic', () => {
  it('uses the stricter of the fields and the dataset grade: population is important (t = 20, rounding 10)', () => {
    expect(publicRules(policies, 'population')).toMatchObject({ minCellCount: 20, roundingBase: 10 });
    expect(publicRules(policies, 'legal_persons')).toMatchObject({ minCellCount: 5, roundingBase: 1 });
  });

  it('withholds a cell below the threshold and enough others that the margins do not give it away', () => {
    // three counties × three age bands; city 330200 has only 3 people aged 18-29
    const sizes = [
      [41, 38, 45],
      [3, 44, 40],
      [36, 52, 47],
    ];
    const regions = ['330100', '330200', '330300'];
    const bands = ['18-29', '30-44', '45-59'];
    const births = ['2000-01-01', '1985-03-01', '1970-05-01'];
    const people = regions.flatMap((r, i) => births.flatMap((b, j) => many(sizes[i]![j]!, r, b)));
    const rules = publicRules(policies, 'population');
    const out = computeStatistic(residents, rules, input(people), { releaseId: 'test', releasedCells: [] });
    expect(out.check.outcome).toBe('release');
    const row = (r: string, c: string) => out.rows.find((x) => x.region_code === r && x.age_band === c);
    // the small cell is withheld, values empty
    expect(row('330200', '18-29')).toMatchObject({ residents: null, mean_annual_income: null, suppressed: true });
    // released counts are rounded to 10
    for (const r of out.rows.filter((x) => !x.suppressed)) expect(Number(r.residents) % 10).toBe(0);
    expect(row(TOTAL_LABEL, TOTAL_LABEL)).toMatchObject({ residents: 350, suppressed: false });
    expect(out.suppressedRows).toBeGreaterThanOrEqual(4);

    // the published table as withheld marks over the full two-way layout (cells, row, column and grand totals)
    const keys = [...regions.flatMap((r) => bands.map((b) => [r, b])), ...regions.map((r) => [r, TOTAL_LABEL]), ...bands.map((b) => [TOTAL_LABEL, b]), [TOTAL_LABEL, TOTAL_LABEL]];
    const marks = keys.map(([r, c]) => (row(r!, c!)?.suppressed === false ? null : ('secondary' as const)));
    expect(marks.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(marks[3]).not.toBeNull();
    const cells = sizes.flat();
    const rowTotals = sizes.map((r) => r.reduce((a, b) => a + b));
    const columnTotals = bands.map((_, j) => sizes.reduce((a, r) => a + r[j]!, 0));
    const table = { layout: 'two-way' as const, rows: 3, columns: 3, cells, rowTotals, columnTotals, total: cells.reduce((a, b) => a + b) };
    // independent audit (Gaussian elimination): no withheld entry follows from the released ones
    expect(recoverableEntries(table, marks)).toEqual([]);
  });

  it('lays out a CSV with empty values for withheld entries', () => {
    const csv = toCsv(['region_code', 'age_band', 'residents', 'suppressed'], [
      { region_code: '330102', age_band: '18-29', residents: 40, suppressed: false },
      { region_code: '330103', age_band: '18-29', residents: null, suppressed: true },
    ]);
    expect(csv).toBe('region_code,age_band,residents,suppressed\n330102,18-29,40,false\n330103,18-29,,true\n');
  });
});

describe('registry definitions', () => {
  it('match their policy files (policies/datasets/<code>.json): open, general, no personal information', () => {
    const source = { department: '省公安厅', departmentCode: '11330000002482161X', updateCycle: 'monthly' as const };
    const definitions = Object.values(OPEN_STATISTICS).map((spec) => statisticDefinition(spec, source));
    const mine = new Set(definitions.map((d) => d.code));
    // the other policy files have no definition here ("unknown_dataset"): only this module's problems count
    const problems = checkPoliciesAgainstRegistry(policies, definitions as never).filter((p) => mine.has((p as { dataset?: string }).dataset ?? ''));
    expect(problems).toEqual([]);
    expect([...policies.datasets.keys()]).toEqual(expect.arrayContaining([...mine]));
    for (const d of definitions) expect(d).toMatchObject({ openType: 'unconditional', grade: 'general' });
  });
});

describe('derive helpers', () => {
  it('age bands from a birth month at the reference date', () => {
    expect(ageBand('2006-07-01', '2024-06-30')).toBe('0-17');
    expect(ageBand('2006-06-01', '2024-06-30')).toBe('18-29');
    expect(ageBand('1964-01-01', '2024-06-30')).toBe('60+');
    expect(ageBand(null, '2024-06-30')).toBeNull();
  });
  it('home-province counties become their city, other counties their province', () => {
    expect(publishedRegion('330106')).toBe('330100');
    expect(publishedRegion('440305')).toBe('440000');
    expect(publishedRegion('x')).toBeNull();
  });
});
