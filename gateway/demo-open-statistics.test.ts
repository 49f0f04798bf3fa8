import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../data/index.ts';
import { AGE_BANDS, OPEN_STATISTICS, TOTAL_LABEL } from '../sandbox/open-statistics/index.ts';
import { rhoFromEpsilon } from '../sandbox/dp/index.ts';
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
    // the summary is plain words: what the table is, and that small numbers are withheld and counts rounded
    expect(entry.summary).toContain('不足20人');
    expect(entry.summary).toContain('取整到10');
    for (const internal of [published.releaseId, published.record.policyVersion, 'sha256', 'sm3', 'small_cells', 'population', '抑制']) {
      expect(entry.summary, internal).not.toContain(internal);
    }
    // the provenance is on the dataset page, folded away: release, hashes, policy version, each check in words
    const page = await (await gw.app.request('/portal/datasets/residents_by_district_age')).text();
    const details = page.slice(page.indexOf('<details class="provenance"'), page.indexOf('</details>'));
    for (const text of [published.releaseId, published.record.codeHash.sha256, published.record.codeHash.sm3, published.record.policyVersion, '小单元格抑制', '阈值 20', '取整基数 10']) {
      expect(details, text).toContain(text);
    }
    expect(page.slice(page.indexOf('<p class="lead">'), page.indexOf('</p>', page.indexOf('<p class="lead">')))).toContain('不足20人');

    // population is 'important': counts rounded to 10; every value is noised (DP), with its 95 % interval beside it
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
    const published_ = new Map(rows.map((r) => [`${r.region_code}|${r.age_band}`, r]));
    // every division and band of the public domain has a row, people or not
    const [regionDomain, bandDomain] = OPEN_STATISTICS.residents_by_district_age!.domain(`${asOf}-01`);
    expect(rows.filter((r) => r.region_code !== TOTAL_LABEL && r.age_band !== TOTAL_LABEL)).toHaveLength(regionDomain.length * bandDomain.length);
    let compared = 0;
    let covered = 0;
    let meanCovered = 0;
    let means = 0;
    let big = 0;
    let bigCovered = 0;
    for (const [key, r] of published_) {
      if (r.suppressed === 'true') {
        expect([r.residents, r.residents_low, r.mean_annual_income]).toEqual(['', '', '']);
        continue;
      }
      const n = truthOf.get(key) ?? 0;
      expect(Number(r.residents) % base, key).toBe(0);
      expect(Number(r.residents_low), key).toBeLessThanOrEqual(Number(r.residents));
      if (Number(r.residents_low) - base <= n && n <= Number(r.residents_high) + base) covered++;
      compared++;
      if (r.mean_annual_income !== '' && n > 0) {
        means++;
        // incomes are read masked to 1,000 yuan: the interval is for the masked mean
        if (Number(r.mean_annual_income_low) - 1000 <= incomeOf.get(key)! && incomeOf.get(key)! <= Number(r.mean_annual_income_high) + 1000) meanCovered++;
        if (n >= 30) {
          big++;
          if (Number(r.mean_annual_income_low) - 1000 <= incomeOf.get(key)! && incomeOf.get(key)! <= Number(r.mean_annual_income_high) + 1000) bigCovered++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
    // 95 % intervals: nearly all cover the truth (the rest is the 5 % they may miss)
    expect(covered / compared).toBeGreaterThan(0.85);
    // a mean's interval (noisy sum over noisy count) is an approximation that holds for cells of some size: there they
    // cover as nominal (0.92–0.96 seen over 50 cells, so 0.8 is about 5σ away); over every cell, small ones included,
    // 0.79–0.93 has been seen, so that bound is 0.7
    expect(bigCovered / Math.max(1, big)).toBeGreaterThan(0.8);
    expect(meanCovered / Math.max(1, means)).toBeGreaterThan(0.7);
    const total = published_.get(`${TOTAL_LABEL}|${TOTAL_LABEL}`)!;
    // one 95 % interval misses 1 time in 20: widened by its own half-width it is a 4σ interval (misses ~1 in 16,000)
    const halfWidth = (Number(total.residents_high) - Number(total.residents_low)) / 2;
    expect(Number(total.residents_low) - halfWidth - base).toBeLessThanOrEqual(4000);
    expect(Number(total.residents_high) + halfWidth + base).toBeGreaterThanOrEqual(4000);

    // secondary suppression: no line of the table (cells + their margin) has exactly one withheld entry, so none is
    // the released margin minus released cells; entries left out count as withheld
    const regions = [...regionDomain];
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
    // every released value with its interval; nearly all intervals cover the truth (the platform noises, never lies)
    let compared = 0;
    let covered = 0;
    for (const x of truth) {
      const r = byKey.get(`${x.section}|${x.year}`);
      if (!r || r.suppressed === 'true') continue;
      // legal_persons's strictest grade is general-3: counts rounded to 5
      expect(Number(r.enterprises) % 5).toBe(0);
      if (Number(r.enterprises_low) - 5 <= x.n && x.n <= Number(r.enterprises_high) + 5) covered++;
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    expect(covered / compared).toBeGreaterThan(0.85);
  }, 120_000);

  it('republishing an unchanged source is a no-op (nothing charged twice); the releases are audited and paid from the sources\' budgets', async () => {
    const before = await listDatasetVersions(gw.testDb.database.db, 'residents_by_district_age');
    const again = await publishStatistic(gw.services, options(), 'residents_by_district_age');
    expect(again.status).toBe('unchanged');
    expect(await listDatasetVersions(gw.testDb.database.db, 'residents_by_district_age')).toHaveLength(before.length);
    // the demo seeding (same secret from the environment) finds both current
    const seeded = await seedDemoOpenStatistics(gw.services, { ...gw.config, pseudonymSecretHex: '09'.repeat(32) });
    expect(seeded.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);

    const audit = await gw.testDb.database.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'open_statistic.published'));
    expect(audit.map((a) => a.resource).sort()).toEqual(['dataset:enterprises_by_industry_year', 'dataset:residents_by_district_age']);
    // each publication paid its ε from its source's yearly budget, once
    const budgets = await sql<{ dataset: string; spent: number }>('select dataset, rho_spent_nano::float8 as spent from dataset_budgets order by dataset');
    expect(budgets.map((b) => b.dataset)).toEqual(['legal_persons', 'population']);
    for (const b of budgets) expect(b.spent).toBeCloseTo(rhoFromEpsilon(b.dataset === 'population' ? 1 : 1) * 1e9, -2);
  }, 120_000);
});
