// Fixture of the portal tests: a test gateway with a small living catalog — 企业登记信息 (unconditional, loaded, one
// masked field), 失信被执行人信息 (unconditional, loaded), 法人单位基础信息库 (conditional), a not_open dataset —
// catalog entries for each, a published 2026 priority list of two departments and a 2025 list of one of them (for the
// year comparison: one item carried over by dataset code, one by name, one dropped — linked to a not_open dataset).
import { Readable } from 'node:stream';
import { seedPriorityList, upsertCatalogEntry, type PriorityListItemInput } from '../../catalog-open/index.ts';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { loadPolicies, parsePolicySet } from '../../policies/index.ts';
import { loadDataset, registerDataset, type DatasetDefinition } from '../../store/index.ts';
import { systemContext } from '../authorization.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

const MARKET = DATASETS.legal_persons.definition;
const CREDIT = DATASETS.credit_dishonest.definition;

export const ENTERPRISES: DatasetDefinition = {
  code: 'enterprise_registry',
  name: '企业登记信息',
  description: '全省企业登记的基本信息，供公众查询企业主体资格。',
  department: MARKET.department,
  departmentCode: MARKET.departmentCode,
  sourceSystem: '企业登记系统',
  updateCycle: 'monthly',
  grade: 'general',
  openType: 'unconditional',
  fields: [
    { name: 'uscc', type: 'string', nullable: false, sensitivity: 'none', description: '统一社会信用代码' },
    { name: 'company', type: 'string', nullable: false, sensitivity: 'none', description: '企业名称' },
    { name: 'legal_rep', type: 'string', nullable: false, sensitivity: 'personal', description: '法定代表人' },
    { name: 'established', type: 'date', nullable: false, sensitivity: 'none', description: '成立日期' },
  ],
};

const ENTERPRISE_POLICY = {
  dataset: 'enterprise_registry',
  grade: 'general',
  personLevel: false,
  fields: {
    uscc: { grade: 'general-1', pi: 'none' },
    company: { grade: 'general-1', pi: 'none' },
    legal_rep: { grade: 'general-2', pi: 'personal', open_download: { mask: 'name', justification: 'test fixture: published registration data' } },
    established: { grade: 'general-1', pi: 'none' },
  },
};

export const ENTERPRISE_ROWS = 12;
const enterpriseCsv = () =>
  `uscc,company,legal_rep,established\n${Array.from({ length: ENTERPRISE_ROWS }, (_, i) => `91330000MA${String(i).padStart(8, '0')},测试企业${i}有限公司,张${i}明,2020-01-${String((i % 28) + 1).padStart(2, '0')}`).join('\n')}\n`;

const entry = (resourceCode: string, theme: string, keywords: string[], summary: string) => ({
  resourceCode,
  summary,
  classification: { category: theme, item: keywords[0]! },
  theme,
  keywords,
  shareType: 'unconditional' as const,
  license: 'CC-BY-4.0',
  nextUpdateDue: '2999-01-01',
  temporal: { start: '2020-01-01', end: null },
  spatial: '330000',
});

const item = (x: Partial<PriorityListItemInput> & Pick<PriorityListItemInput, 'name' | 'plannedDate' | 'openType'>): PriorityListItemInput => ({
  theme: '市场监管',
  summary: '摘要',
  accessMethods: ['download'],
  formats: ['CSV', 'XLSX'],
  updateCycle: 'monthly',
  demandSource: '社会公众需求',
  ...x,
});

export const PRIORITY_YEAR = 2026;
export const PREVIOUS_YEAR = 2025;

/** Every page of the portal as a reader reaches it (the link crawl finds the rest from these). */
export const PORTAL_SEEDS = [
  '/',
  '/portal/datasets',
  '/portal/priority-lists',
  `/portal/priority-lists/${PRIORITY_YEAR}`,
  `/portal/priority-lists/compare?from=${PREVIOUS_YEAR}&to=${PRIORITY_YEAR}`,
  '/portal/departments',
  '/portal/applications',
];

export async function createPortalGateway(): Promise<TestGateway> {
  const gw = await createTestGateway();
  const extra = parsePolicySet([{ source: 'enterprise_registry.json', content: ENTERPRISE_POLICY }]);
  gw.services.policies = { datasets: new Map([...loadPolicies().datasets, ...extra.datasets]) };
  const database = gw.testDb.database;
  await registerDataset(database.db, ENTERPRISES);
  await loadDataset(database, { code: ENTERPRISES.code, format: 'csv', body: Readable.from([Buffer.from(enterpriseCsv())]), loadedBy: 'test' });
  await registerDataset(database.db, CREDIT);
  await loadDataset(database, { code: CREDIT.code, format: 'csv', body: generatedCsv('credit_dishonest', 20, 't'), loadedBy: 'test' });
  await registerDataset(database.db, MARKET);
  await registerDataset(database.db, DATASETS.health_visits.definition);

  const ctx = systemContext(gw.services, 'test');
  const policies = gw.services.policies;
  await upsertCatalogEntry(ctx, policies, ENTERPRISES.code, entry('330000/000001', '市场监管', ['企业', '登记', '营业执照'], '全省企业登记基本信息，含企业名称、统一社会信用代码和成立日期。'));
  await upsertCatalogEntry(ctx, policies, CREDIT.code, entry('330000/000002', '信用服务', ['失信被执行人', '信用'], '人民法院公布的失信被执行人名单。'));
  await upsertCatalogEntry(ctx, policies, MARKET.code, {
    ...entry('330000/000003', '市场监管', ['法人', '统一社会信用代码'], '全省法人单位的登记信息。'),
    openConditions: '用于经济研究、信用核验等合法用途，须签署数据安全承诺书。',
    shareType: 'conditional',
  });

  await seedPriorityList(database, {
    year: PRIORITY_YEAR,
    departmentCode: CREDIT.departmentCode,
    seeder: 'test',
    items: [
      item({ theme: '信用服务', name: '失信被执行人信息', openType: 'unconditional', plannedDate: '2026-03-31', datasetCode: CREDIT.code }),
      item({ theme: '信用服务', name: '信用承诺信息', openType: 'unconditional', plannedDate: '2099-12-31' }),
      item({ theme: '信用服务', name: '行政许可信息', openType: 'unconditional', plannedDate: '2026-01-31' }),
    ],
  });
  await seedPriorityList(database, {
    year: PRIORITY_YEAR,
    departmentCode: MARKET.departmentCode,
    seeder: 'test',
    items: [
      item({ name: '企业登记信息', openType: 'unconditional', plannedDate: '2026-06-30', datasetCode: ENTERPRISES.code }),
      item({ name: '法人单位基础信息', openType: 'conditional', plannedDate: '2099-12-31', datasetCode: MARKET.code, accessMethods: ['api'] }),
      item({ name: '企业年度报告公示信息', openType: 'conditional', plannedDate: '2026-02-28' }),
    ],
  });
  await seedPriorityList(database, {
    year: PREVIOUS_YEAR,
    departmentCode: MARKET.departmentCode,
    seeder: 'test',
    items: [
      item({ name: '企业登记信息', openType: 'unconditional', plannedDate: '2025-06-30', datasetCode: ENTERPRISES.code }),
      item({ name: '法人单位 基础信息', openType: 'conditional', plannedDate: '2025-12-31' }),
      // linked to a dataset that is not open: pages must not link it (the public catalog has no page for it)
      item({ name: '个体工商户登记信息', openType: 'unconditional', plannedDate: '2025-03-31', datasetCode: DATASETS.health_visits.definition.code }),
    ],
  });
  return gw;
}
