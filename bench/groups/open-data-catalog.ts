// Group `open-data` (catalog part): latency of the public catalog search over 10,000 synthetic entries (scale 1) for
// three kinds of query: no q (first page + facets), a Chinese q, and facet filters. The harness compares rates, so
// each case reports 1000 / p50 ms (searches/s at the median latency) against a plain primary-key lookup of one catalog
// entry measured the same way; p50 and p95 in milliseconds go to stderr. A fourth case compares the position() scan
// the search uses with the LIKE scan it avoids, over the same search texts.
import { searchCatalog, type CatalogQuery } from '../../catalog-open/index.ts';
import { loadPolicies } from '../../policies/index.ts';
import { migrate, openDatabase, type Database } from '../../store/index.ts';
import { median, type BenchCase, type BenchGroup } from '../harness.ts';

const THEMES = ['社会保障', '市场监管', '卫生健康', '信用服务', '民政', '交通运输', '教育文化', '生态环境'];
const DEPARTMENTS = ['人力资源和社会保障厅', '市场监督管理局', '卫生健康委员会', '发展和改革委员会', '民政厅', '交通运输厅', '教育厅', '生态环境厅', '统计局', '自然资源厅'];
const NOUNS = ['企业登记', '参保单位', '医疗机构', '失信主体', '社会组织', '道路运输', '学校名录', '排污许可', '人口统计', '土地供应'];

/** Inserts n registry datasets and catalog entries in a few statements (generate_series), a third of them loaded. */
async function fill(database: Database, n: number): Promise<void> {
  const themes = `(array['${THEMES.join("','")}'])`;
  const departments = `(array['${DEPARTMENTS.join("','")}'])`;
  const nouns = `(array['${NOUNS.join("','")}'])`;
  await database.sql.query(
    `insert into datasets (code, name, description, department, department_code, source_system, update_cycle, grade, open_type, fields)
     select 'ds_' || lpad(i::text, 6, '0'),
            ${nouns}[1 + i % 10] || '信息' || i,
            ${nouns}[1 + i % 10] || '的基本信息',
            ${departments}[1 + i % 10], 'DEPT' || lpad((i % 10)::text, 2, '0'), '业务系统',
            (array['daily','monthly','yearly'])[1 + i % 3], (array['general','important'])[1 + i % 2],
            (array['unconditional','conditional','not_open'])[1 + i % 3],
            '[{"name":"code","type":"string","description":"编码","nullable":false,"sensitivity":"none"},{"name":"title","type":"string","description":"名称","nullable":true,"sensitivity":"none"}]'::jsonb
       from generate_series(1, $1::int) i`,
    [n],
  );
  await database.sql.query(
    `insert into catalog_entries (dataset_code, resource_code, summary, classification, theme, keywords, share_type, next_update_due,
                                  temporal_start, spatial, issued, modified, search_text)
     select d.code, 'R/' || d.code, d.description || '，按月更新。', '{"category":"综合"}'::jsonb, ${themes}[1 + (substr(d.code, 4)::int) % 8],
            jsonb_build_array(${nouns}[1 + (substr(d.code, 4)::int) % 10], '开放数据'), 'conditional', date '2999-01-01',
            date '2020-01-01', '330000', now(), now() - (substr(d.code, 4)::int % 500) * interval '1 hour',
            lower(d.name || chr(10) || d.code || chr(10) || d.description || chr(10) || d.department || chr(10) || ${themes}[1 + (substr(d.code, 4)::int) % 8])
       from datasets d`,
  );
  await database.sql.query(
    `insert into dataset_versions (dataset_code, version, physical_table, row_count, byte_count, checksum, format, fields, loaded_by)
     select code, 1, null, 1000, 50000, md5(code), 'csv', fields, 'bench' from datasets where substr(code, 4)::int % 3 = 0`,
  );
  await database.sql.query(`update datasets set current_version = 1 where substr(code, 4)::int % 3 = 0`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Times `k` sequential calls; returns the latencies in ms, sorted. */
async function latencies(k: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const start = performance.now();
    await fn(i);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

export const openDataCatalogGroup: BenchGroup = {
  name: 'open-data',
  async setup(options) {
    const n = Math.max(300, Math.round(10_000 * options.scale));
    const k = 30;
    const database = await openDatabase({});
    await migrate(database);
    options.progress(`open-data: inserting ${n} catalog entries`);
    await fill(database, n);
    const policies = loadPolicies();
    const lookup = (i: number) =>
      database.sql.query('select * from catalog_entries where dataset_code = $1', [`ds_${String(1 + (i % n)).padStart(6, '0')}`]);
    // p50 and p95 of every run, reported on stderr once the case is done
    const seen = new Map<string, { p50: number[]; p95: number[] }>();
    const timed = (name: string, fn: (i: number) => Promise<unknown>) => async () => {
      const lat = await latencies(k, fn);
      const s = seen.get(name) ?? { p50: [], p95: [] };
      s.p50.push(percentile(lat, 0.5));
      s.p95.push(percentile(lat, 0.95));
      seen.set(name, s);
      return 1000 / percentile(lat, 0.5);
    };
    const search = (query: Omit<CatalogQuery, 'limit'>) => () => searchCatalog(database, policies, { limit: 20, ...query });
    const kinds: [string, Omit<CatalogQuery, 'limit'>][] = [
      ['no q (first page + facets)', {}],
      ['q=企业 (Chinese substring)', { q: '企业' }],
      ['facets department+theme+openType', { department: 'DEPT01', theme: '市场监管', openType: 'conditional' }],
    ];
    const cases: BenchCase[] = kinds.map(([kind, query]) => ({
      name: `catalog search ${kind}, ${n} entries`,
      unit: 'searches/s at p50',
      baselineName: 'primary-key lookup of one entry',
      run: timed(kind, search(query)),
      baseline: timed(`${kind} baseline`, lookup),
    }));
    cases.push({
      name: `position() scan of ${n} search texts`,
      unit: 'scans/s at p50',
      baselineName: "LIKE '%…%' scan of the same texts",
      run: timed('position', () => database.sql.query(`select count(*) from catalog_entries where position($1 in search_text) > 0`, ['企业'])),
      baseline: timed('like', () => database.sql.query(`select count(*) from catalog_entries where search_text like $1`, ['%企业%'])),
    });
    return {
      cases,
      async cleanup() {
        for (const [name, s] of seen) {
          options.progress(`open-data latency ${name}: p50 ${median(s.p50).toFixed(2)} ms, p95 ${median(s.p95).toFixed(2)} ms (median over runs, ${k} queries each)`);
        }
        await database.close();
      },
    };
  },
};
