// DEMO: the real reference dataset (administrative division codes) and a catalog entry for every registered dataset,
// so a first start shows a living open-data catalog. Idempotent: existing datasets, loads and entries are left alone
// (a steward's edits survive restarts).
import {
  loadDatasetVerb,
  registerDatasetVerb,
  undescribedDatasets,
  upsertCatalogEntry,
  type CatalogEntryInput,
  type UndescribedDataset,
} from '../catalog-open/index.ts';
import { ADMIN_DIVISIONS_CODE, adminDivisionsCsv, adminDivisionsDefinition } from '../data/index.ts';
import { isAppError } from '../errors/index.ts';
import { getDataset } from '../store/index.ts';
import { systemContext } from './authorization.ts';
import type { Services } from './context.ts';

type Metadata = Omit<CatalogEntryInput, 'resourceCode'> & { seq: number };

const year = new Date().getUTCFullYear();
const dueIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Catalog metadata of the datasets the demo registers, in the style of a provincial 政务数据资源目录. */
const KNOWN: Readonly<Record<string, Metadata>> = {
  admin_divisions: {
    seq: 1,
    summary: '全国省级、地级、县级行政区划代码、名称、层级及上级区划代码，可用于地址标准化和统计汇总。',
    classification: { category: '民政', item: '区划地名', section: '行政区划' },
    theme: '民政',
    keywords: ['行政区划', '区划代码', 'GB/T 2260', '地名'],
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: `${year + 1}-03-31`,
    temporal: { start: '2023-01-01', end: null },
    spatial: '中华人民共和国',
  },
  credit_dishonest: {
    seq: 2,
    summary: '人民法院公布的失信被执行人（法人及其他组织）名单，含案号、执行法院、履行情况和发布时间。',
    classification: { category: '信用', item: '公共信用信息', section: '失信联合惩戒', detail: '失信被执行人' },
    theme: '信用服务',
    keywords: ['失信被执行人', '信用', '联合惩戒', '法院'],
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: dueIn(1),
    temporal: { start: '2015-01-01', end: null },
    spatial: '330000',
  },
  legal_persons: {
    seq: 3,
    summary: '全省企业、个体工商户、事业单位和社会组织等法人单位的登记信息，含名称、统一社会信用代码、成立日期和登记状态。',
    classification: { category: '市场监管', item: '市场主体', section: '企业登记' },
    theme: '市场监管',
    keywords: ['企业登记', '法人', '统一社会信用代码', '营业执照'],
    openConditions: '用于经济研究、信用核验等合法用途，申请人须签署数据安全承诺书，不得用于商业营销。',
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: dueIn(1),
    temporal: { start: '1990-01-01', end: null },
    spatial: '330000',
  },
  population: {
    seq: 4,
    summary: '全省户籍和常住人口的基础信息，含性别、出生日期、民族、户籍地和家庭关系，涉及个人敏感信息。',
    classification: { category: '公安', item: '人口管理', section: '人口基础信息' },
    theme: '公共安全',
    keywords: ['人口', '户籍', '常住人口'],
    shareType: 'conditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: dueIn(1),
    temporal: { start: '2000-01-01', end: null },
    spatial: '330000',
  },
  social_insurance: {
    seq: 5,
    summary: '城镇职工和城乡居民养老、医疗、失业、工伤保险的参保和缴费记录。',
    classification: { category: '人力资源社会保障', item: '社会保险', section: '参保缴费' },
    theme: '社会保障',
    keywords: ['社会保险', '参保', '缴费', '养老保险'],
    shareType: 'conditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: dueIn(30),
    temporal: { start: '2010-01-01', end: null },
    spatial: '330000',
  },
  health_visits: {
    seq: 6,
    summary: '全省医疗机构门诊、急诊和住院就诊记录，含机构等级、科室、诊断类别、费用和医保支付。',
    classification: { category: '卫生健康', item: '医疗服务', section: '就诊记录' },
    theme: '卫生健康',
    keywords: ['就诊', '医疗服务', '医保', '门诊'],
    shareType: 'conditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: dueIn(1),
    temporal: { start: '2018-01-01', end: null },
    spatial: '330000',
  },
};

const THEME_BY_DEPARTMENT: readonly [RegExp, string][] = [
  [/人力资源|社会保障|社保/, '社会保障'],
  [/市场监督|市场监管|工商/, '市场监管'],
  [/卫生|健康|医疗/, '卫生健康'],
  [/发展和改革|信用/, '信用服务'],
  [/民政/, '民政'],
  [/统计/, '经济统计'],
  [/公安/, '公共安全'],
];

/** At most `max` UTF-16 units of `text`, cut between characters (never inside a surrogate pair). */
function clip(text: string, max: number): string {
  let out = '';
  for (const ch of text.trim()) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trim();
}

/**
 * 资源代码 for a dataset the demo does not know: department code and dataset code, within what the catalog accepts
 * (letters, digits, . / -, 3 to 64 characters) whatever the registry holds (a department code may be any text).
 */
export function genericResourceCode(departmentCode: string, code: string): string {
  const raw = `${departmentCode}/${code.replace(/_/g, '-')}`.replace(/[^0-9A-Za-z./-]/g, '-');
  return (/^[0-9A-Za-z]/.test(raw) ? raw : `d${raw}`).slice(0, 64).padEnd(3, '0');
}

/** Metadata for a dataset the demo does not know (registered by a steward or another module): honest but sparse. */
function generic(d: UndescribedDataset): CatalogEntryInput {
  const theme = THEME_BY_DEPARTMENT.find(([re]) => re.test(d.department))?.[1] ?? '其他';
  return {
    resourceCode: genericResourceCode(d.departmentCode, d.code),
    summary: clip(`${d.department}提供的${d.name}。`, 2000),
    theme,
    // a keyword is at most 40 characters; a dataset's name may be 200
    keywords: [clip(d.name, 40)],
    openConditions: d.openType === 'conditional' ? '须提交有条件开放申请，经数据提供部门审核同意后使用。' : null,
    shareType: d.openType === 'unconditional' ? 'unconditional' : 'conditional',
    spatial: '330000',
  };
}

function metadataFor(d: UndescribedDataset): CatalogEntryInput {
  const known = KNOWN[d.code];
  if (!known) return generic(d);
  const { seq, ...rest } = known;
  // 资源代码: the providing department's code, then a sequence number within the demo catalog
  return { ...rest, resourceCode: `${d.departmentCode}/${String(seq).padStart(6, '0')}` };
}

export interface DemoCatalog {
  /** rows loaded into admin_divisions on this start (0 when it was already loaded) */
  divisionsLoaded: number;
  /** catalog entries created on this start */
  entriesCreated: number;
  /** datasets whose entry could not be written (their code and the error's code): a steward describes them by hand */
  skipped: { dataset: string; code: string }[];
}

/** Registers and loads admin_divisions once, then describes every dataset that has no catalog entry yet. */
export async function seedDemoCatalog(services: Services): Promise<DemoCatalog> {
  const ctx = systemContext(services, 'demo-seed');
  const existing = await getDataset(services.database.db, ADMIN_DIVISIONS_CODE).catch(() => undefined);
  if (!existing) await registerDatasetVerb(ctx, adminDivisionsDefinition);
  let divisionsLoaded = 0;
  if (!existing?.currentVersion) {
    const loaded = await loadDatasetVerb(ctx, { code: ADMIN_DIVISIONS_CODE, format: 'csv', body: adminDivisionsCsv() });
    divisionsLoaded = loaded.rowCount;
  }
  let entriesCreated = 0;
  const skipped: DemoCatalog['skipped'] = [];
  for (const d of await undescribedDatasets(services.database)) {
    // one dataset's metadata never stops the start: its entry is skipped (each entry is written whole or not at all)
    try {
      const outcome = await upsertCatalogEntry(ctx, services.policies, d.code, metadataFor(d));
      if (outcome.created) entriesCreated++;
    } catch (err) {
      skipped.push({ dataset: d.code, code: isAppError(err) ? err.code : (err as Error).name });
    }
  }
  return { divisionsLoaded, entriesCreated, skipped };
}
