import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPriorityList, showPublicPriorityYear } from '../../catalog-open/index.ts';
import { DEPT_A, DEPT_B, fixtureItem, registerFixtureDatasets } from '../../catalog-open/priority-lists/testing.ts';
import { DATASETS } from '../../data/index.ts';
import { registerDataset } from '../../store/index.ts';
import { demoPriorityLists, seedDemoPriorityLists } from '../demo-priority-lists.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
const get = (path: string) => gw.app.request(path);

beforeAll(async () => {
  gw = await createTestGateway();
  const database = gw.testDb.database;
  await registerFixtureDatasets(database);
  const seed = (year: number, departmentCode: string, items: Parameters<typeof fixtureItem>[0][]) =>
    seedPriorityList(database, { year, departmentCode, items: items.map(fixtureItem), seeder: 'test' });
  await seed(2025, DEPT_A.code, [
    { name: '开放数据甲', plannedDate: '2025-03-31', datasetCode: 'open_a' },
    { name: '逾期数据', plannedDate: '2025-06-30' },
    { name: '人口 统计', plannedDate: '2025-09-30', openType: 'conditional' },
  ]);
  await seed(2026, DEPT_A.code, [
    { name: '开放数据甲（更名）', plannedDate: '2026-03-31', datasetCode: 'open_a', accessMethods: ['download', 'api'], note: '延续' },
    { name: '人口统计', plannedDate: '2026-09-30' },
    { name: '=新增,"数据"', plannedDate: '2099-12-31', datasetCode: 'closed_a' },
  ]);
  await seed(2026, DEPT_B.code, [{ name: '有条件数据', plannedDate: '2026-12-31', datasetCode: 'cond_b', openType: 'conditional' }]);
});
afterAll(() => gw.close());

describe('public priority lists', () => {
  it('lists the years with departments and counts, newest first', async () => {
    const res = await get('/open/priority-lists');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { year: number; items: number; departments: { departmentCode: string; version: number }[] }[] };
    expect(body.items.map((y) => [y.year, y.items, y.departments.length])).toEqual([[2026, 4, 2], [2025, 3, 1]]);
  });

  it('computes each status with a fixed clock: opened, planned, overdue', async () => {
    const db = gw.testDb.database.db;
    const at = (iso: string) => showPublicPriorityYear(db, { year: 2026, departmentCode: DEPT_A.code, now: new Date(iso) });
    const statuses = async (iso: string) => (await at(iso)).departments[0]!.items.map((i) => [i.name, i.status, i.link]);
    expect(await statuses('2026-06-01T00:00:00Z')).toEqual([
      ['开放数据甲（更名）', 'opened', '/open/datasets/open_a'],
      ['人口统计', 'planned', null],
      ['=新增,"数据"', 'planned', null],
    ]);
    // the day after the plan date (China time) the unopened item is overdue; closed_a is not_open, so never opened
    expect((await statuses('2026-09-30T16:00:00Z'))[1]).toEqual(['人口统计', 'overdue', null]);
    expect((await at('2026-06-01T00:00:00Z')).asOf).toBe('2026-06-01');
  });

  it('answers one year as JSON, all departments or one', async () => {
    const all = (await (await get('/open/priority-lists/2026')).json()) as { departments: { departmentCode: string; items: { department: string }[] }[] };
    expect(all.departments.map((d) => d.departmentCode)).toEqual([DEPT_A.code, DEPT_B.code]);
    expect(all.departments[1]!.items[0]).toMatchObject({ department: DEPT_B.name, status: expect.stringMatching(/planned|overdue/), link: null });
    const one = (await (await get(`/open/priority-lists/2026?department=${DEPT_B.code}`)).json()) as { departments: unknown[] };
    expect(one.departments).toHaveLength(1);
  });

  it('answers CSV in UTF-8 with a BOM and Chinese headers, that parses back', async () => {
    const res = await get(`/open/priority-lists/2026?format=csv&department=${DEPT_A.code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('priority-list-2026-TEST-DEPT-A.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(new TextDecoder().decode(bytes.slice(3))) as string[][];
    expect(rows[0]).toEqual(['序号', '数据领域', '数据名称', '提供部门', '数据摘要/主要数据项', '开放属性', '开放方式', '数据格式', '更新频率', '计划开放时间', '需求来源', '状态', '备注', '链接']);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual(['1', '测试领域', '开放数据甲（更名）', DEPT_A.name, '摘要', '无条件开放', '下载、接口', 'CSV', '每月', '2026-03-31', '公众', '已开放', '延续', 'http://gateway.test/portal/datasets/open_a']);
    // a cell a spreadsheet would run as a formula is defused; quotes and commas survive
    expect(rows[3]![2]).toBe(`'=新增,"数据"`);
  });

  it('answers XLSX that unzips into a workbook whose sheet holds the Chinese headers and the rows', async () => {
    const res = await get('/open/priority-lists/2026?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    for (const text of ['序号', '数据摘要/主要数据项', '计划开放时间', '链接', '有条件数据', '已开放', DEPT_B.name]) expect(sheet).toContain(text);
    expect(sheet.match(/<row /g)).toHaveLength(5);
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('重点清单');
  });

  it('numbers the exported list 1..n across departments; XLSX dates are dates and links are hyperlinks (ExcelJS)', async () => {
    const csv = parse(new TextDecoder().decode(new Uint8Array(await (await get('/open/priority-lists/2026?format=csv')).arrayBuffer()).slice(3))) as string[][];
    const body = csv.slice(1);
    expect(new Set(body.map((r) => r[3])).size).toBe(2); // two departments in one file
    expect(body.map((r) => r[0])).toEqual(body.map((_, i) => String(i + 1)));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await get('/open/priority-lists/2026?format=xlsx')).arrayBuffer()) as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getColumn(1).values.slice(2)).toEqual(body.map((_, i) => i + 1));
    const planned = sheet.getCell('J2');
    expect(planned.value).toEqual(new Date(`${body[0]![9]}T00:00:00Z`));
    expect(planned.numFmt).toBe('yyyy-mm-dd');
    const linked = body.findIndex((r) => r[13] !== '');
    expect(sheet.getCell(`N${linked + 2}`).hyperlink).toBe(body[linked]![13]);
  });

  it('refuses a bad format (400 naming format), a bad year (400), and answers 404 for a year or department without lists', async () => {
    const bad = await get('/open/priority-lists/2026?format=pdf');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('format');
    expect((await get('/open/priority-lists/26')).status).toBe(400);
    expect((await get('/open/priority-lists/abcd')).status).toBe(400);
    expect((await get('/open/priority-lists/2031')).status).toBe(404);
    expect((await get('/open/priority-lists/2025?department=NOPE')).status).toBe(404);
  });

  it('compares two years: counts, added, dropped and carried over', async () => {
    const res = await get(`/open/priority-lists/compare?from=2025&to=2026`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      departments: { departmentCode: string; from: { items: number; byOpenType: Record<string, number> } | null; to: { items: number; byStatus: Record<string, number> } | null; added: { name: string }[]; dropped: { name: string }[]; carriedOver: { from: { name: string }; to: { name: string } }[] }[];
    };
    const [a, b] = body.departments;
    expect(a!.departmentCode).toBe(DEPT_A.code);
    expect(a!.from).toMatchObject({ items: 3, byOpenType: { unconditional: 2, conditional: 1 } });
    expect(a!.to!.items).toBe(3);
    expect(a!.carriedOver.map((p) => [p.from.name, p.to.name])).toEqual([['开放数据甲', '开放数据甲（更名）'], ['人口 统计', '人口统计']]);
    expect(a!.added.map((i) => i.name)).toEqual(['=新增,"数据"']);
    expect(a!.dropped.map((i) => i.name)).toEqual(['逾期数据']);
    expect(b).toMatchObject({ departmentCode: DEPT_B.code, from: null, dropped: [], carriedOver: [] });
    expect(b!.added).toHaveLength(1);
    expect((await get('/open/priority-lists/compare?from=2025&to=2031')).status).toBe(404);
    expect((await get('/open/priority-lists/compare?from=2025')).status).toBe(400);
    const onlyB = (await (await get(`/open/priority-lists/compare?from=2025&to=2026&department=${DEPT_B.code}`)).json()) as { departments: unknown[] };
    expect(onlyB.departments).toHaveLength(1);
  });
});

it('documents the routes in the OpenAPI description', async () => {
  const doc = (await (await get('/openapi.json')).json()) as { paths: Record<string, unknown> };
  for (const path of ['/open/priority-lists', '/open/priority-lists/{year}', '/open/priority-lists/compare', '/steward/priority-lists/{year}/{department}/publish', '/steward/priority-lists/demand']) {
    expect(doc.paths).toHaveProperty([path]);
  }
});

describe('demo priority lists', () => {
  it('publishes the current and the previous year once, linked to demo datasets; a restart publishes nothing', async () => {
    for (const d of Object.values(DATASETS)) await registerDataset(gw.testDb.database.db, d.definition);
    const now = new Date('2026-11-22T03:00:00Z');
    const expected = demoPriorityLists(2026).length;
    expect(await seedDemoPriorityLists(gw.testDb.database, now)).toBe(expected);
    expect(await seedDemoPriorityLists(gw.testDb.database, now)).toBe(0);
    const years = (await (await get('/open/priority-lists')).json()) as { items: { year: number; departments: { departmentCode: string }[] }[] };
    const demoCodes = new Set(Object.values(DATASETS).map((d) => d.definition.departmentCode));
    const demoDepartments = (year: number) => years.items.find((y) => y.year === year)!.departments.filter((d) => demoCodes.has(d.departmentCode)).length;
    expect(demoDepartments(2026)).toBeGreaterThanOrEqual(3);
    expect(demoDepartments(2025)).toBeGreaterThanOrEqual(3);
    // the demo datasets are registered but not loaded here: the previous year's past plan dates show as overdue
    const prev = await showPublicPriorityYear(gw.testDb.database.db, { year: 2025, now });
    expect(prev.departments.flatMap((d) => d.items).some((i) => i.status === 'overdue')).toBe(true);
  });
});
