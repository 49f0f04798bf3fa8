// DEMO: published priority lists for the current and the previous year, for each department of the demo datasets,
// so a first start shows a living list: some items opened (linked to loaded open datasets), some planned, some overdue.
import { seedPriorityList, type PriorityListItemInput } from '../catalog-open/index.ts';
import { DATASETS } from '../data/index.ts';
import type { Database } from '../store/index.ts';

type Item = PriorityListItemInput;
const SEEDER = 'demo-seed';

const item = (x: Omit<Item, 'summary' | 'demandSource' | 'accessMethods' | 'formats'> & Partial<Item>): Item => ({
  summary: '',
  demandSource: '社会公众需求',
  accessMethods: ['download'],
  formats: ['CSV', 'XLSX'],
  ...x,
});

/**
 * The demo lists, by department code. Previous year: the open demo datasets are `opened`, the rest `overdue`
 * (plan dates passed). Current year: plan dates at the end of the year, so `planned` until then.
 */
export function demoPriorityLists(year: number): { year: number; departmentCode: string; items: Item[] }[] {
  const prev = year - 1;
  const dept = (code: keyof typeof DATASETS) => DATASETS[code].definition.departmentCode;
  return [
    {
      year: prev,
      departmentCode: dept('credit_dishonest'),
      items: [
        item({ theme: '信用服务', name: '失信被执行人信息', summary: '被执行人名称、执行案号、执行法院、履行情况', openType: 'unconditional', accessMethods: ['download', 'api'], updateCycle: 'daily', plannedDate: `${prev}-03-31`, datasetCode: 'credit_dishonest', demandSource: '企业征信需求' }),
        item({ theme: '信用服务', name: '行政许可信息', summary: '许可决定、许可机关、有效期', openType: 'unconditional', updateCycle: 'weekly', plannedDate: `${prev}-09-30`, note: '数据治理中' }),
      ],
    },
    {
      year: prev,
      departmentCode: dept('legal_persons'),
      items: [
        item({ theme: '市场监管', name: '法人单位基础信息', summary: '统一社会信用代码、单位名称、行业、注册资本', openType: 'conditional', accessMethods: ['api'], updateCycle: 'daily', plannedDate: `${prev}-06-30`, datasetCode: 'legal_persons', demandSource: '金融机构申请' }),
      ],
    },
    {
      year: prev,
      departmentCode: dept('social_insurance'),
      items: [
        item({ theme: '社会保障', name: '社会保险参保统计', summary: '按险种、区县统计的参保人数', openType: 'unconditional', updateCycle: 'monthly', plannedDate: `${prev}-09-30`, datasetCode: 'social_insurance', note: '明细不予开放，仅开放统计数据' }),
      ],
    },
    {
      year: prev,
      departmentCode: dept('health_visits'),
      items: [item({ theme: '医疗卫生', name: '医疗机构名录', summary: '机构名称、等级、地址、诊疗科目', openType: 'unconditional', updateCycle: 'quarterly', plannedDate: `${prev}-12-31` })],
    },
    {
      year,
      departmentCode: dept('credit_dishonest'),
      items: [
        item({ theme: '信用服务', name: '失信被执行人信息', summary: '被执行人名称、执行案号、执行法院、履行情况', openType: 'unconditional', accessMethods: ['download', 'api'], updateCycle: 'daily', plannedDate: `${year}-03-31`, datasetCode: 'credit_dishonest', demandSource: '企业征信需求', note: '延续上年' }),
        item({ theme: '信用服务', name: '信用承诺信息', summary: '承诺主体、承诺事项、履约情况', openType: 'unconditional', updateCycle: 'monthly', plannedDate: `${year}-12-31` }),
      ],
    },
    {
      year,
      departmentCode: dept('legal_persons'),
      items: [
        item({ theme: '市场监管', name: '企业年度报告公示信息', summary: '企业年报的公示事项', openType: 'unconditional', updateCycle: 'yearly', plannedDate: `${year}-12-31`, demandSource: '社会公众需求' }),
      ],
    },
    {
      year,
      departmentCode: dept('population'),
      items: [
        item({ theme: '公共安全', name: '户籍人口统计（按区县、年龄段）', summary: '按区县、性别、年龄段统计的户籍人口数', openType: 'unconditional', updateCycle: 'yearly', plannedDate: `${year}-12-31`, datasetCode: 'population', note: '明细不予开放，统计数据经披露控制后开放' }),
      ],
    },
    {
      year,
      departmentCode: dept('health_visits'),
      items: [
        item({ theme: '医疗卫生', name: '医疗服务就诊统计', summary: '按机构等级、科室、诊断类别统计的就诊人次', openType: 'conditional', accessMethods: ['api'], updateCycle: 'quarterly', plannedDate: `${year}-12-31`, datasetCode: 'health_visits', demandSource: '科研机构申请' }),
      ],
    },
  ];
}

/** Publishes the demo lists that are not yet published (idempotent across restarts); returns how many it published. */
export async function seedDemoPriorityLists(database: Database, now = new Date()): Promise<number> {
  // the year in China (UTC+8), where the lists are published
  const year = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  let published = 0;
  for (const list of demoPriorityLists(year)) {
    if ((await seedPriorityList(database, { ...list, seeder: SEEDER })) !== null) published += 1;
  }
  return published;
}
