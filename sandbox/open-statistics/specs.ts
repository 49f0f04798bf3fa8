// The open statistics the platform publishes: which base library, which fields, how each row becomes keys and
// measures, and which tables the trusted reduction builds. Pure data and pure functions; the code hash of the release
// record is taken over this (the derive function's source and the table specs), as a job's is over its code.
import { countyCodes } from '../../policies/index.ts';
import type { DatasetDefinitionInput, FieldValue } from '../../store/index.ts';
import type { Emitted, KeyColumn, TableSpec } from '../reduce/index.ts';

/** Masked source columns as plain values (one array per field, one entry per row). */
export type SourceColumns = Readonly<Record<string, readonly FieldValue[]>>;

export interface OpenStatisticSpec {
  /** registry code of the published statistic */
  readonly code: string;
  readonly name: string;
  readonly description: string;
  /** the base library it is computed from */
  readonly source: string;
  /** the source fields read (masked for the sandbox, as a job reads them); they set the disclosure rules */
  readonly fields: readonly string[];
  /** row → keys and measures; `asOf` is the reference date (YYYY-MM-DD) of the source version */
  readonly derive: (columns: SourceColumns, rows: number, asOf: string) => Emitted;
  /** two dimensions, with totals (two-way tables: secondary suppression protects cells against the margins) */
  readonly dims: readonly [string, string];
  /**
   * Every label each dimension may take, from public facts only (the division codes, the bands, the years up to the
   * reference date): a DP release shows every one of them, so which ones have people says nothing beyond the noise
   */
  readonly domain: (asOf: string) => readonly [readonly string[], readonly string[]];
  /** the published column of each table, in order: counts first */
  readonly tables: readonly (TableSpec & { readonly column: string; readonly description: string; readonly type: 'integer' | 'decimal' })[];
  /** ε of one publication at δ = 1e-8, charged to the source's yearly budget (default: the source's ε per job) */
  readonly epsilon?: number;
  /** CSV column names and descriptions of the two dimensions */
  readonly dimFields: readonly [{ name: string; description: string }, { name: string; description: string }];
  readonly catalog: { readonly theme: string; readonly keywords: readonly string[]; readonly category: string; readonly item: string };
}

/** The label of a margin (row or column total) in the published table. */
export const TOTAL_LABEL = '合计';

/** Strings → dictionary-encoded key column (null → -1, missing). */
export function keyColumn(values: readonly (string | null)[]): KeyColumn {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let c = index.get(v);
    if (c === undefined) index.set(v, (c = dictionary.push(v) - 1));
    return c;
  });
  return { codes, dictionary };
}

export const AGE_BANDS = ['0-17', '18-29', '30-44', '45-59', '60+'] as const;

/**
 * Age band at `asOf` from a birth date masked to the month (YYYY-MM-..): a person born in the reference month counts
 * as having had the birthday, so ages are exact to within that month.
 */
export function ageBand(birth: FieldValue, asOf: string): string | null {
  if (typeof birth !== 'string' || !/^\d{4}-\d{2}/.test(birth)) return null;
  const by = Number(birth.slice(0, 4));
  const bm = Number(birth.slice(5, 7));
  const ry = Number(asOf.slice(0, 4));
  const rm = Number(asOf.slice(5, 7));
  const age = ry - by - (rm < bm ? 1 : 0);
  if (age < 0) return null;
  return age < 18 ? '0-17' : age < 30 ? '18-29' : age < 45 ? '30-44' : age < 60 ? '45-59' : '60+';
}

/** The province the platform serves (GB/T 2260): its prefecture-level cities are shown one by one, other provinces whole. */
export const HOME_PROVINCE = '33';

/**
 * Registration county → published region: in the home province its prefecture-level city (xxxx00), elsewhere its
 * province (xx0000). The register spreads residents over ~2,900 counties; at county level nearly every cell is under
 * the threshold of 20 (at the demo's 100,000 residents a home-province county has ~55 people), so the table would be
 * almost all withheld.
 */
export function publishedRegion(code: FieldValue): string | null {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return null;
  return code.startsWith(HOME_PROVINCE) ? `${code.slice(0, 4)}00` : `${code.slice(0, 2)}0000`;
}

const OPERATING = new Set(['存续', '在业']);

const residents: OpenStatisticSpec = {
  code: 'residents_by_district_age',
  name: '各地区分年龄段人口统计（脱敏汇总）',
  description:
    '按户籍地（省内按地市、省外按省份）和年龄段（0-17、18-29、30-44、45-59、60岁及以上）汇总的人口数和人均年收入（无收入记录者计为0），由人口基础信息库经平台输出审查' +
    '（差分隐私：每个数值加入随机噪声并给出95%区间；按含噪人数的小单元格抑制及次级抑制、优势规则、取整）后发布；被抑制的单元格为空值。',
  source: 'population',
  fields: ['region_code', 'birth_date', 'annual_income'],
  derive(columns, rows, asOf) {
    return {
      rows,
      keys: {
        region_code: keyColumn(columns.region_code!.map(publishedRegion)),
        age_band: keyColumn(columns.birth_date!.map((v) => ageBand(v, asOf))),
      },
      // no income record (children, students, some without work, undeclared) counts as 0: the mean is per resident,
      // over exactly the count's population — a mean over fewer people would differ from the count cell by a few
      // persons, which the differencing check rightly withholds (docs/disclosure-control.md)
      measures: { annual_income: Float64Array.from(columns.annual_income!, (v) => (v === null ? 0 : Number(v))) },
    };
  },
  dims: ['region_code', 'age_band'],
  domain: () => [[...new Set(countyCodes().map((c) => publishedRegion(c)!))].sort(), [...AGE_BANDS]],
  tables: [
    { name: 'residents', column: 'residents', kind: 'count', by: ['region_code', 'age_band'], totals: true, type: 'integer', description: '人口数（人，按取整规则取整） / Residents (rounded)' },
    {
      name: 'mean_annual_income',
      column: 'mean_annual_income',
      kind: 'mean',
      measure: 'annual_income',
      // incomes are clamped into these bounds: they set the noise of the mean (a resident adds at most 1,000,000)
      bounds: { lo: 0, hi: 1_000_000 },
      by: ['region_code', 'age_band'],
      totals: true,
      type: 'decimal',
      description: '人均年收入（元，无收入记录者计为0） / Mean annual income per resident (yuan; no income record counts as 0)',
    },
  ],
  dimFields: [
    { name: 'region_code', description: `户籍地区划代码（GB/T 2260）：省内为地级市代码，省外为省级代码；“${TOTAL_LABEL}”为各区县合计 / Prefecture-level city of registration in the province, province code outside it; "${TOTAL_LABEL}" is the total` },
    { name: 'age_band', description: `年龄段（统计基准日的周岁）；“${TOTAL_LABEL}”为各年龄段合计 / Age band; "${TOTAL_LABEL}" is the total` },
  ],
  catalog: { theme: '公共安全', keywords: ['人口', '年龄结构', '区县', '统计汇总', '脱敏'], category: '公安', item: '人口管理' },
};

const enterprises: OpenStatisticSpec = {
  code: 'enterprises_by_industry_year',
  name: '分行业分成立年份市场主体统计（脱敏汇总）',
  description:
    '按国民经济行业门类（GB/T 4754-2017）和成立年份汇总的法人单位数及仍在营（存续、在业）比例，由法人单位基础信息库经平台输出审查' +
    '（差分隐私：每个数值加入随机噪声并给出95%区间；按含噪单位数的小单元格抑制及次级抑制、优势规则、取整）后发布；被抑制的单元格为空值。',
  source: 'legal_persons',
  fields: ['industry_code', 'established_date', 'status'],
  derive(columns, rows) {
    return {
      rows,
      keys: {
        industry_section: keyColumn(columns.industry_code!.map((v) => (typeof v === 'string' && /^[A-T]/.test(v) ? v[0]! : null))),
        established_year: keyColumn(columns.established_date!.map((v) => (typeof v === 'string' && /^\d{4}/.test(v) ? v.slice(0, 4) : null))),
      },
      measures: { operating: Float64Array.from(columns.status!, (v) => (v === null ? NaN : OPERATING.has(String(v)) ? 1 : 0)) },
    };
  },
  dims: ['industry_section', 'established_year'],
  domain: (asOf) => [
    Array.from({ length: 20 }, (_, i) => String.fromCharCode(65 + i)),
    Array.from({ length: Number(asOf.slice(0, 4)) - 1979 }, (_, i) => String(1980 + i)),
  ],
  tables: [
    { name: 'enterprises', column: 'enterprises', kind: 'count', by: ['industry_section', 'established_year'], totals: true, type: 'integer', description: '法人单位数 / Legal entities' },
    {
      name: 'share_operating',
      column: 'share_operating',
      kind: 'mean',
      measure: 'operating',
      bounds: { lo: 0, hi: 1 },
      by: ['industry_section', 'established_year'],
      totals: true,
      type: 'decimal',
      description: '仍在营（存续、在业）的比例（0-1） / Share still operating (0-1)',
    },
  ],
  dimFields: [
    { name: 'industry_section', description: `行业门类字母（A-T）；“${TOTAL_LABEL}”为各行业合计 / Industry section; "${TOTAL_LABEL}" is the total` },
    { name: 'established_year', description: `成立年份；“${TOTAL_LABEL}”为各年份合计 / Year of establishment; "${TOTAL_LABEL}" is the total` },
  ],
  catalog: { theme: '市场监管', keywords: ['市场主体', '企业登记', '行业', '成立年份', '统计汇总'], category: '市场监管', item: '市场主体' },
};

export const OPEN_STATISTICS: Readonly<Record<string, OpenStatisticSpec>> = { [residents.code]: residents, [enterprises.code]: enterprises };

/** The registry definition of a statistic: open to all, general grade, the source's department. */
export function statisticDefinition(spec: OpenStatisticSpec, source: { department: string; departmentCode: string; updateCycle: DatasetDefinitionInput['updateCycle'] }): DatasetDefinitionInput {
  return {
    code: spec.code,
    name: spec.name,
    description: spec.description,
    department: source.department,
    departmentCode: source.departmentCode,
    sourceSystem: `平台开放统计（源：${spec.source}）`,
    updateCycle: source.updateCycle,
    grade: 'general',
    openType: 'unconditional',
    fields: [
      ...spec.dimFields.map((f) => ({ name: f.name, type: 'string' as const, description: f.description, nullable: false, sensitivity: 'none' as const })),
      ...spec.tables.flatMap((t) => [
        { name: t.column, type: t.type, description: t.description, nullable: true, sensitivity: 'none' as const },
        { name: `${t.column}_low`, type: 'decimal' as const, description: `${t.column} 的95%区间下限（差分隐私噪声） / lower end of its 95 % interval (DP noise)`, nullable: true, sensitivity: 'none' as const },
        { name: `${t.column}_high`, type: 'decimal' as const, description: `${t.column} 的95%区间上限（差分隐私噪声） / upper end of its 95 % interval (DP noise)`, nullable: true, sensitivity: 'none' as const },
      ]),
      { name: 'suppressed', type: 'boolean' as const, description: '该行数值因输出审查被抑制（为空） / Values withheld by disclosure control', nullable: false, sensitivity: 'none' as const },
    ],
  };
}
