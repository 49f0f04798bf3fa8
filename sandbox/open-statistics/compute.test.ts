import { describe, expect, it } from 'vitest';
import { checkPoliciesAgainstRegistry, loadPolicies } from '../../policies/index.ts';
import { rhoFromEpsilon } from '../dp/index.ts';
import { SeededRandom } from '../dp/testing.ts';
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
  it('uses the source\'s strictest grade over all its fields: population is important (t = 20, rounding 10)', () => {
    expect(publicRules(policies, 'population')).toMatchObject({ minCellCount: 20, roundingBase: 10 });
    expect(publicRules(policies, 'legal_persons')).toMatchObject({ grade: 'general-3', minCellCount: 10, roundingBase: 5 });
  });

  it('releases every region and band of the public domain under DP, withholding small noisy cells, with intervals', () => {
    // three cities × three age bands; city 330200 has only 3 people aged 18-29
    const sizes = [
      [41, 38, 45],
      [3, 44, 40],
      [36, 52, 47],
    ];
    const regions = ['330100', '330200', '330300'];
    const births = ['2000-01-01', '1985-03-01', '1970-05-01'];
    const people = regions.flatMap((r, i) => births.flatMap((b, j) => many(sizes[i]![j]!, r, b)));
    const rules = publicRules(policies, 'population');
    const out = computeStatistic(residents, rules, input(people), { rho: rhoFromEpsilon(1), rng: new SeededRandom(3) });
    expect(out.check.outcome).toBe('release');
    const row = (r: string, c: string) => out.rows.find((x) => x.region_code === r && x.age_band === c);
    // every division of the public domain is a row, people or not: which ones have people is not for the rows to say
    const [regionDomain, bandDomain] = residents.domain(AS_OF);
    expect(regionDomain).toContain('110000');
    expect(out.rows.filter((r) => r.region_code !== TOTAL_LABEL && r.age_band !== TOTAL_LABEL)).toHaveLength(regionDomain.length * bandDomain.length);
    // the small cell is withheld: its noisy count is far below 20
    expect(row('330200', '18-29')).toMatchObject({ residents: null, residents_low: null, mean_annual_income: null, suppressed: true });
    // released counts are rounded to 10 and carry an interval around them
    for (const r of out.rows.filter((x) => !x.suppressed && x.region_code !== TOTAL_LABEL && x.age_band !== TOTAL_LABEL)) {
      expect(Number(r.residents) % 10).toBe(0);
      expect(Number(r.residents_low)).toBeLessThanOrEqual(Number(r.residents));
      expect(Number(r.residents_high)).toBeGreaterThanOrEqual(Number(r.residents));
    }
    const cell = row('330300', '30-44')!;
    expect(Math.abs(Number(cell.residents) - 52)).toBeLessThan(40);
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
