import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../data/index.ts';
import { AGE_BANDS, TOTAL_LABEL } from '../sandbox/open-statistics/index.ts';
import { getDataset, listDatasetVersions, loadDataset, registerDataset, schema } from '../store/index.ts';
import { publishStatistic, seedDemoOpenStatistics } from './demo-open-statistics.ts';
import { createTestGateway, type TestGateway } from './testing/test-gateway.ts';

const SECRET = new Uint8Array(32).fill(9);
let gw: TestGateway;
const options = () => ({ policies: gw.services.policies, pseudonymSecret: SECRET });

beforeAll(async () => {
  gw = await createTestGateway();
  const { database } = gw.testDb;
  await registerDataset(database.db, DATASETS.population.definition);
  await loadDataset(database, { code: 'population', format: 'csv', body: Readable.from(generatedCsv('population', 4000, 'open-statistics')), loadedBy: 'test' });
  await registerDataset(database.db, DATASETS.legal_persons.definition);
  await loadDataset(database, { code: 'legal_persons', format: 'csv', body: Readable.from(generatedCsv('legal_persons', 1500, 'open-statistics')), loadedBy: 'test' });
}, 120_000);
afterAll(() => gw.close());

/** The public CSV download, parsed (no value of these tables needs quoting). */
async function download(code: string): Promise<Record<string, string>[]> {
  const res = await gw.app.request(`/open/datasets/${code}/download?format=csv`);
  expect(res.status).toBe(200);
  const [header, ...lines] = (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

/** A raw query (the Database's own client, inside a read-only transaction). */
const sql = <T,>(text: string, params: unknown[] = []) => gw.testDb.database.transaction((tx) => tx.query<T>(text, params));
/** The physical table of a dataset's current version. */
async function physicalTable(code: string): Promise<string> {
  const [row] = await sql<{ t: string }>(
    'select v.physical_table as t from dataset_versions v join datasets d on d.code = v.dataset_code and d.current_version = v.version where d.code = $1',
    [code],
  );
  return row!.t;
}
const roundTo = (v: number, base: number) => Math.round(v / base) * base;

/** Lines of a two-way table (each row's cells and its total; each column's cells and its total), entry keys. */
function lines(rowLabels: readonly string[], colLabels: readonly string[]): string[][] {
  const key = (r: string, c: string) => `${r}|${c}`;
  return [
    ...rowLabels.map((r) => [...colLabels.map((c) => key(r, c)), key(r, TOTAL_LABEL)]),
    ...colLabels.map((c) => [...rowLabels.map((r) => key(r, c)), key(TOTAL_LABEL, c)]),
    [...rowLabels.map((r) => key(r, TOTAL_LABEL)), key(TOTAL_LABEL, TOTAL_LABEL)],
    [...colLabels.map((c) => key(TOTAL_LABEL, c)), key(TOTAL_LABEL, TOTAL_LABEL)],
  ];
}

describe('open statistics', () => {
  it('publishes residents by district and age band: unconditional, downloadable, equal to GROUP BY where released', async () => {
    const published = await publishStatistic(gw.services, options(), 'residents_by_district_age');
    expect(published.status).toBe('published');
    const record = await getDataset(gw.testDb.database.db, 'residents_by_district_age');
    expect(record).toMatchObject({ openType: 'unconditional', grade: 'general', department: DATASETS.population.definition.department });

    const entry = (await (await gw.app.request('/open/datasets/residents_by_district_age')).json()) as { name: string; openType: string; summary: string; downloadable: boolean };
    expect(entry).toMatchObject({ name: '各地区分年龄段人口统计（脱敏汇总）', openType: 'unconditional', downloadable: true });
    expect(entry.summary).toContain(published.releaseId);
    expect(entry.summary).toContain(published.record.policyVersion);

    // population is 'important': at least 20 people per released cell, counts rounded to 10
    const t = 20;
    const base = 10;
    const asOf = (await getDataset(gw.testDb.database.db, 'population')).currentVersion!.loadedAt.slice(0, 7);
    const physical = await physicalTable('population');
    const truth = await sql<{ region: string; band: string; n: number; income: number }>(
      `with a as (
         select case when left(region_code, 2) = '33' then left(region_code, 4) || '00' else left(region_code, 2) || '0000' end as region,
                (extract(year from $1::date) - extract(year from birth_date)
                  - case when extract(month from $1::date) < extract(month from birth_date) then 1 else 0 end)::int as age,
                coalesce(annual_income, 0) as income
         from ${physical})
       select region, case when age < 18 then '0-17' when age < 30 then '18-29' when age < 45 then '30-44' when age < 60 then '45-59' else '60+' end as band,
              count(*)::int as n, avg(income)::float8 as income
       from a group by grouping sets ((region, band), (region), (band), ())`,
      [`${asOf}-01`],
    );
    const truthOf = new Map(truth.map((r) => [`${r.region ?? TOTAL_LABEL}|${r.band ?? TOTAL_LABEL}`, r.n]));
    const incomeOf = new Map(truth.map((r) => [`${r.region ?? TOTAL_LABEL}|${r.band ?? TOTAL_LABEL}`, r.income]));

    const rows = await download('residents_by_district_age');
    expect(rows.length).toBeGreaterThan(0);
    const published_ = new Map(rows.map((r) => [`${r.region_code}|${r.age_band}`, r]));
    let compared = 0;
    for (const [key, r] of published_) {
      if (r.suppressed === 'true') {
        expect(r.residents).toBe('');
        expect(r.mean_annual_income).toBe('');
        continue;
      }
      if (!truthOf.has(key)) {
        // an empty combination of the full two-way layout: nobody in it, released as 0 with no mean
        expect([r.residents, r.mean_annual_income], key).toEqual(['0', '']);
        continue;
      }
      expect(Number(r.residents), key).toBe(roundTo(truthOf.get(key)!, base));
      // per resident, no record = 0; the sandbox reads incomes masked to 1,000 yuan, so within 500 of the raw mean
      expect(Math.abs(Number(r.mean_annual_income) - incomeOf.get(key)!), key).toBeLessThanOrEqual(500);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    expect(published_.get(`${TOTAL_LABEL}|${TOTAL_LABEL}`)?.residents).toBe(String(roundTo(4000, base)));

    // every cell below the threshold is withheld (published as suppressed, or left out with its whole row)
    const small = [...truthOf].filter(([, n]) => n > 0 && n < t);
    expect(small.length).toBeGreaterThan(0);
    for (const [key] of small) expect(published_.get(key)?.suppressed ?? 'omitted', key).not.toBe('false');

    // secondary suppression: no line of the table (cells + their margin) has exactly one withheld entry, so none is
    // the released margin minus released cells; entries left out count as withheld
    const regions = [...new Set(truth.filter((r) => r.region !== null).map((r) => r.region))];
    const withheld = (key: string) => published_.get(key)?.suppressed !== 'false';
    for (const line of lines(regions, [...AGE_BANDS])) {
      const hidden = line.filter(withheld);
      expect(hidden.length, line.join(' ')).not.toBe(1);
    }
  }, 120_000);

  it('publishes enterprises by industry section and year with the share still operating', async () => {
    const published = await publishStatistic(gw.services, options(), 'enterprises_by_industry_year');
    expect(published.status).toBe('published');
    const truth = await sql<{ section: string; year: string; n: number; operating: number }>(
      `select left(industry_code, 1) as section, to_char(established_date, 'YYYY') as year, count(*)::int as n,
              avg(case when status in ('存续', '在业') then 1.0 else 0.0 end)::float8 as operating
       from ${await physicalTable('legal_persons')} group by 1, 2`,
    );
    const rows = await download('enterprises_by_industry_year');
    const byKey = new Map(rows.map((r) => [`${r.industry_section}|${r.established_year}`, r]));
    let compared = 0;
    for (const x of truth) {
      const r = byKey.get(`${x.section}|${x.year}`);
      if (x.n < 5) expect(r?.suppressed ?? 'omitted').not.toBe('false');
      if (!r || r.suppressed === 'true') continue;
      // legal_persons is 'general': threshold 5, no rounding
      expect(Number(r.enterprises)).toBe(x.n);
      expect(Number(r.share_operating)).toBeCloseTo(x.operating, 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);

  it('republishing an unchanged source is a no-op; the release is audited and in the differencing ledger', async () => {
    const before = await listDatasetVersions(gw.testDb.database.db, 'residents_by_district_age');
    const again = await publishStatistic(gw.services, options(), 'residents_by_district_age');
    expect(again.status).toBe('unchanged');
    expect(await listDatasetVersions(gw.testDb.database.db, 'residents_by_district_age')).toHaveLength(before.length);
    // the demo seeding (same secret from the environment) finds both current
    const seeded = await seedDemoOpenStatistics(gw.services, { ...gw.config, pseudonymSecretHex: '09'.repeat(32) });
    expect(seeded.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);

    const audit = await gw.testDb.database.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'open_statistic.published'));
    expect(audit.map((a) => a.resource).sort()).toEqual(['dataset:enterprises_by_industry_year', 'dataset:residents_by_district_age']);
    const cells = await gw.testDb.database.db.select().from(schema.releasedCells).where(eq(schema.releasedCells.jobId, again.releaseId));
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.dataset === 'population')).toBe(true);
  }, 120_000);
});
