import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let steward: Record<string, string>;

const MARKET = { department: '市场监督管理局', departmentCode: '11330000002482160X' };
const field = (name: string, description: string, sensitivity = 'none') => ({ name, type: 'string', description, sensitivity });

function definition(code: string, name: string, openType: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    name,
    description: `${name}的登记描述`,
    ...MARKET,
    sourceSystem: '业务系统',
    updateCycle: 'monthly',
    grade: 'general',
    openType,
    fields: [field('code', '编码'), field('title', '名称')],
    ...extra,
  };
}

const catalogBody = {
  resourceCode: '330000000000/00001',
  summary: '全省企业登记基本信息，包括企业名称、统一社会信用代码、成立日期和注册资本。',
  classification: { category: '市场监管', item: '市场主体', section: '企业登记' },
  theme: '市场监管',
  keywords: ['企业', '登记', '营业执照'],
  shareType: 'unconditional',
  license: 'CC-BY-4.0',
  nextUpdateDue: '2999-01-01',
  temporal: { start: '2020-01-01', end: null },
  spatial: '330000',
};

function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  return gw.app.request(path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await send('GET', path);
  return { status: res.status, body: (await res.json()) as T };
}

interface Page {
  items: { code: string; name: string; qualityScore: number; described: boolean }[];
  facets: Record<string, { value: string; label?: string; count: number }[]>;
  nextCursor: string | null;
  total: number;
}
interface Entry {
  code: string;
  described: boolean;
  quality: { score: number; parts: { completeness: number; timeliness: number; openFormat: number; workingDownloads: number }; missing: string[]; overdue: boolean };
  distributions: { format: string; downloadUrl: string; rowCount: number }[];
  fields: { name: string; masked: boolean }[];
  versions: { version: number }[];
  containsPersonalInfo: boolean;
  downloadable: boolean;
}
const codesOf = (p: Page) => p.items.map((i) => i.code).sort();

beforeAll(async () => {
  gw = await createTestGateway();
  steward = await gw.login('steward', PASSWORDS.steward);
  const db = gw.testDb.database.db;
  await registerDataset(db, definition('enterprise_registry', '企业登记信息', 'unconditional'));
  await registerDataset(db, { ...definition('insured_units', '社会保险参保单位', 'conditional'), department: '人力资源和社会保障厅', departmentCode: '11330000002481440Y' });
  await registerDataset(db, definition('secret_registry', '企业内部核查名单', 'not_open'));
  await registerDataset(db, definition('pct_rates', '100%_达标率\\统计', 'unconditional'));
  // a dataset with a download policy (policies/datasets/credit_dishonest.json) and rows: it has working downloads
  await registerDataset(db, DATASETS.credit_dishonest.definition);
  await loadDataset(gw.testDb.database, { code: 'credit_dishonest', format: 'csv', body: generatedCsv('credit_dishonest', 20, 't'), loadedBy: 'test' });
});
afterAll(() => gw.close());

describe('steward catalog metadata', () => {
  it('creates (201) then replaces (200) an entry, audited in the same transaction', async () => {
    const created = await send('PUT', '/steward/datasets/enterprise_registry/catalog', steward, catalogBody);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ created: true, entry: { code: 'enterprise_registry', theme: '市场监管', described: true } });
    const replaced = await send('PUT', '/steward/datasets/enterprise_registry/catalog', steward, { ...catalogBody, keywords: ['企业', '登记', '工商'] });
    expect(replaced.status).toBe(200);
    const audit = await gw.testDb.database.sql.query<{ action: string; resource: string }>(
      `select action, resource from audit_log where action like 'catalog.entry.%' order by seq`,
    );
    expect(audit).toEqual([
      { action: 'catalog.entry.created', resource: 'dataset:enterprise_registry' },
      { action: 'catalog.entry.updated', resource: 'dataset:enterprise_registry' },
    ]);
  });

  it('refuses a steward of another department (403), unknown datasets (404) and bad bodies (422 naming the field)', async () => {
    const other = await gw.addStaff('health_steward', 'steward', '卫生健康委员会');
    expect((await send('PUT', '/steward/datasets/enterprise_registry/catalog', other, catalogBody)).status).toBe(403);
    expect((await send('PUT', '/steward/datasets/nope/catalog', steward, catalogBody)).status).toBe(404);
    const bad = await send('PUT', '/steward/datasets/enterprise_registry/catalog', steward, { ...catalogBody, nextUpdateDue: '2025-02-30', theme: '' });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { issues: { path: string }[] };
    expect(problem.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['nextUpdateDue', 'theme']));
    expect((await send('PUT', '/steward/datasets/enterprise_registry/catalog', {}, catalogBody)).status).toBe(401);
  });

  it('refuses a resource code another dataset holds with 409', async () => {
    const res = await send('PUT', '/steward/datasets/pct_rates/catalog', steward, catalogBody);
    expect(res.status).toBe(409);
  });
});

describe('public catalog search', () => {
  it('finds Chinese substrings and never lists not_open datasets', async () => {
    const { status, body } = await get<Page>(`/open/datasets?q=${encodeURIComponent('企业')}`);
    expect(status).toBe(200);
    expect(codesOf(body)).toEqual(['enterprise_registry']);
    expect(body.total).toBe(1);
    // keywords, theme and the summary are searchable; the not_open dataset shares 企业 but stays hidden
    expect(codesOf((await get<Page>(`/open/datasets?q=${encodeURIComponent('营业执照')}`)).body)).toEqual([]);
    expect(codesOf((await get<Page>(`/open/datasets?q=${encodeURIComponent('工商')}`)).body)).toEqual(['enterprise_registry']);
    const all = (await get<Page>('/open/datasets?limit=100')).body;
    expect(codesOf(all)).not.toContain('secret_registry');
    expect(all.total).toBe(4);
  });

  it('treats LIKE metacharacters in q as plain text', async () => {
    for (const q of ['%', '0%_达', '\\统', '%_']) {
      expect(codesOf((await get<Page>(`/open/datasets?q=${encodeURIComponent(q)}`)).body)).toEqual(['pct_rates']);
    }
    // with LIKE, 企_ would match 企业
    expect((await get<Page>(`/open/datasets?q=${encodeURIComponent('企_')}`)).body.total).toBe(0);
    expect((await get<Page>(`/open/datasets?q=${encodeURIComponent("'; drop table datasets; --")}`)).body.total).toBe(0);
  });

  it('counts facets over the whole result and filters by them', async () => {
    const { body } = await get<Page>('/open/datasets');
    expect(body.facets.openType).toEqual(
      expect.arrayContaining([{ value: 'unconditional', count: 3 }, { value: 'conditional', count: 1 }]),
    );
    expect(body.facets.department).toContainEqual({ value: MARKET.departmentCode, label: MARKET.department, count: 2 });
    expect(body.facets.theme).toContainEqual({ value: '市场监管', count: 1 });
    expect(body.facets.format).toEqual(expect.arrayContaining([{ value: 'csv', count: 1 }, { value: 'xlsx', count: 1 }]));
    expect(codesOf((await get<Page>(`/open/datasets?department=${MARKET.departmentCode}`)).body)).toEqual(['enterprise_registry', 'pct_rates']);
    expect(codesOf((await get<Page>(`/open/datasets?department=${encodeURIComponent(MARKET.department)}`)).body)).toEqual(['enterprise_registry', 'pct_rates']);
    expect(codesOf((await get<Page>('/open/datasets?openType=conditional')).body)).toEqual(['insured_units']);
    expect(codesOf((await get<Page>('/open/datasets?format=csv')).body)).toEqual(['credit_dishonest']);
    expect(codesOf((await get<Page>(`/open/datasets?theme=${encodeURIComponent('市场监管')}&grade=general`)).body)).toEqual(['enterprise_registry']);
  });

  it('pages with a cursor: every entry exactly once, in a stable order, for each sort', async () => {
    const db = gw.testDb.database.db;
    for (let i = 0; i < 23; i++) await registerDataset(db, definition(`bulk_${String(i).padStart(2, '0')}`, `批量数据${i % 5}`, 'unconditional'));
    for (const sort of ['modified', 'name', 'code']) {
      const whole = (await get<Page>(`/open/datasets?sort=${sort}&limit=100`)).body;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = (await get<Page>(`/open/datasets?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`)).body;
        expect(page.total).toBe(whole.total);
        seen.push(...page.items.map((i) => i.code));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 20);
      expect(seen).toEqual(whole.items.map((i) => i.code));
      expect(new Set(seen).size).toBe(27);
    }
  });

  it('answers bad parameters with 400 naming the parameter', async () => {
    const other = (await get<Page>('/open/datasets?sort=name&limit=2')).body.nextCursor;
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=%25%25not-a-cursor', 'cursor'],
      ['cursor=bm9wZQ', 'cursor'],
      [`sort=modified&cursor=${other}`, 'cursor'],
      ['openType=not_open', 'openType'],
      ['format=pdf', 'format'],
      ['grade=secret', 'grade'],
      ['sort=random', 'sort'],
    ];
    for (const [query, parameter] of cases) {
      const res = await send('GET', `/open/datasets?${query}`);
      expect(res.status, query).toBe(400);
      const problem = (await res.json()) as { issues: { path: string }[] };
      expect(problem.issues.map((i) => i.path), query).toContain(parameter);
    }
  });
});

describe('public catalog entry', () => {
  it('404s unknown and not_open codes alike', async () => {
    expect((await send('GET', '/open/datasets/secret_registry')).status).toBe(404);
    expect((await send('GET', '/open/datasets/no_such')).status).toBe(404);
    expect((await send('GET', '/open/datasets/secret_registry/catalog')).status).toBe(404);
  });

  it('shows distributions, released fields and versions of a loaded dataset with a policy', async () => {
    const { status, body } = await get<Entry>('/open/datasets/credit_dishonest');
    expect(status).toBe(200);
    expect(body.downloadable).toBe(true);
    expect(body.distributions.map((d) => d.format)).toEqual(['csv', 'ndjson', 'json', 'xlsx']);
    expect(body.distributions[0]).toMatchObject({ downloadUrl: '/open/datasets/credit_dishonest/download?format=csv', rowCount: 20 });
    expect(body.versions.map((v) => v.version)).toEqual([1]);
    expect(body.fields.length).toBeGreaterThan(0);
    expect(body.quality.parts).toMatchObject({ openFormat: 15, workingDownloads: 20, timeliness: 25 });
    // no catalog entry yet: listed with defaults, and the completeness says so
    expect(body.described).toBe(false);
    expect(body.quality.missing).toContain('catalogEntry');
  });

  it('scores metadata: completeness rises with metadata, an overdue update zeroes timeliness', async () => {
    const before = (await get<Entry>('/open/datasets/credit_dishonest')).body.quality;
    const put = await send('PUT', '/steward/datasets/credit_dishonest/catalog', steward, { ...catalogBody, resourceCode: '330000000000/00002', theme: '信用服务', keywords: ['失信', '被执行人'] });
    expect(put.status).toBe(201);
    const after = (await get<Entry>('/open/datasets/credit_dishonest')).body.quality;
    expect(after.parts.completeness).toBeGreaterThan(before.parts.completeness);
    expect(after.parts.completeness).toBe(40);
    expect(after.score).toBe(100);
    await send('PUT', '/steward/datasets/credit_dishonest/catalog', steward, { ...catalogBody, resourceCode: '330000000000/00002', nextUpdateDue: '2001-01-01' });
    const late = (await get<Entry>('/open/datasets/credit_dishonest')).body.quality;
    expect(late).toMatchObject({ overdue: true, parts: { timeliness: 0 } });
    const none = (await get<Entry>('/open/datasets/pct_rates')).body.quality;
    expect(none.parts).toMatchObject({ timeliness: 0, openFormat: 0, workingDownloads: 0 });
  });

  it('follows registry changes in search', async () => {
    const patch = await send('PATCH', '/steward/datasets/enterprise_registry', steward, { description: '含独特词汇的描述' });
    expect(patch.status).toBe(200);
    expect(codesOf((await get<Page>(`/open/datasets?q=${encodeURIComponent('独特词汇')}`)).body)).toEqual(['enterprise_registry']);
  });

  it('summarizes departments, counting not_open datasets without listing them', async () => {
    const { status, body } = await get<{ items: { departmentCode: string; datasets: Record<string, number>; meanQuality: number; overdueUpdates: number }[] }>('/open/departments');
    expect(status).toBe(200);
    const market = body.items.find((d) => d.departmentCode === MARKET.departmentCode);
    expect(market?.datasets).toMatchObject({ notOpen: 1, total: 26 });
    expect(market?.meanQuality).toBeGreaterThan(0);
    const credit = body.items.find((d) => d.departmentCode === DATASETS.credit_dishonest.definition.departmentCode);
    expect(credit).toMatchObject({ overdueUpdates: 1, datasets: { unconditional: 1 } });
  });
});
