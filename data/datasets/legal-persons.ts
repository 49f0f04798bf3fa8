// 法人库: synthetic legal entities (mostly enterprises) with valid unified social credit codes.
//
// Entity j is a pure function of (seed, j), so social_insurance and credit_dishonest can name the same employers and
// debtors through `LegalPersonModel.entity` without generating the whole table.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import { randomBusinessAddressDetail } from '../addresses.ts';
import { daysFromCivil, formatDay, isLeapYear } from '../calendar.ts';
import { composeUscc, USCC_CHARSET } from '../checksums/uscc.ts';
import { cityOfCounty, residentCountyTable, provinceOfCounty, streetsOfCounty, type County } from '../divisions.ts';
import {
  ENTERPRISE_SECTION_WEIGHTS,
  INDUSTRY_DIVISIONS,
  industryDivision,
  type IndustryDivision,
} from '../industries.ts';
import { randomName } from '../names.ts';
import { deriveSeedKey, Random, WeightedTable, type SeedKey } from '../random.ts';
import { checkOptions, REFERENCE_YEAR, type DatasetModule, type GenerateOptions } from './dataset.ts';

export const definition: DatasetDefinition = {
  code: 'legal_persons',
  name: '法人单位基础信息库',
  description:
    '企业、农民专业合作社、事业单位和社会组织的登记信息。 / Registration records of enterprises, farmer cooperatives, public institutions and social organisations.',
  department: '省市场监督管理局',
  departmentCode: composeUscc('11', '330000', '00250133'),
  sourceSystem: '市场主体登记管理系统',
  updateCycle: 'daily',
  grade: 'general',
  openType: 'conditional',
  fields: [
    { name: 'uscc', type: 'string', nullable: false, sensitivity: 'none', description: '统一社会信用代码（GB 32100-2015） / Unified social credit code (GB 32100-2015)' },
    { name: 'name', type: 'string', nullable: false, sensitivity: 'none', description: '单位名称 / Registered name' },
    { name: 'entity_type', type: 'string', nullable: false, sensitivity: 'none', description: '主体类型 / Type of entity' },
    { name: 'legal_representative', type: 'string', nullable: false, sensitivity: 'personal', description: '法定代表人（负责人）姓名 / Legal representative' },
    { name: 'industry_code', type: 'string', nullable: false, sensitivity: 'none', description: '行业代码（GB/T 4754-2017 门类字母+大类2位，如 I65） / Industry (GB/T 4754-2017 section letter + 2-digit division, e.g. I65)' },
    { name: 'industry_name', type: 'string', nullable: false, sensitivity: 'none', description: '行业名称（大类） / Industry division name' },
    { name: 'registered_capital', type: 'decimal', nullable: false, sensitivity: 'none', description: '注册资本（开办资金），万元 / Registered capital, 10,000 yuan' },
    { name: 'established_date', type: 'date', nullable: false, sensitivity: 'none', description: '成立日期 / Date of establishment' },
    { name: 'status', type: 'string', nullable: false, sensitivity: 'none', description: '登记状态（存续/在业/吊销/注销/迁出） / Registration status' },
    { name: 'region_code', type: 'string', nullable: false, sensitivity: 'none', description: '登记机关所在县级区划代码 / County of the registration authority (6-digit code)' },
    { name: 'address', type: 'string', nullable: false, sensitivity: 'none', description: '住所 / Registered address' },
    { name: 'employee_count', type: 'integer', nullable: true, sensitivity: 'none', description: '从业人数（年报） / Employees (annual report)' },
  ],
};

export type EntityStatus = '存续' | '在业' | '吊销' | '注销' | '迁出';

/** One legal entity, as other generators see it. */
export interface LegalEntity {
  index: number;
  uscc: string;
  name: string;
  entityType: string;
  legalRepresentative: string;
  industry: IndustryDivision;
  /** 万元 */
  registeredCapital: number;
  establishedDay: number;
  status: EntityStatus;
  county: County;
  address: string;
  employeeCount: number | null;
}

/** GB 32100 position 1 (registration authority) and 2 (entity type), with what each kind of entity looks like. */
interface EntityKind {
  code: string;
  type: string;
  share: number;
}
const KINDS = new WeightedTable<EntityKind>(
  (
    [
      { code: '91', type: '有限责任公司', share: 80 },
      { code: '91', type: '股份有限公司', share: 3 },
      { code: '91', type: '个人独资企业', share: 3 },
      { code: '93', type: '农民专业合作社', share: 6 },
      { code: '12', type: '事业单位', share: 3.5 },
      { code: '52', type: '民办非企业单位', share: 2.5 },
      { code: '51', type: '社会团体', share: 2 },
    ] satisfies EntityKind[]
  ).map((k) => [k, k.share] as const),
);

const ENTERPRISE_DIVISIONS = (() => {
  const perSection = new Map<string, number>();
  for (const x of INDUSTRY_DIVISIONS) perSection.set(x.section, (perSection.get(x.section) ?? 0) + 1);
  return new WeightedTable(
    INDUSTRY_DIVISIONS.map((x) => [x, (ENTERPRISE_SECTION_WEIGHTS[x.section] ?? 0) / (perSection.get(x.section) ?? 1)] as const),
  );
})();

function division(section: string, code: string): IndustryDivision {
  const x = industryDivision(section, code);
  if (!x) throw new Error(`unknown industry ${section}${code}`);
  return x;
}

/** 字号 characters: the auspicious vocabulary Chinese firms pick their trade names from. */
const TRADE_NAME_CHARS = [...'华信达鑫源恒盛泰隆兴瑞丰嘉宏博安德诚新科创佳美汇通宇航天正联合中金聚利众邦晟远弘益昊骏腾凯卓越辉煌富永康乐和睿智融润祥顺锦星海蓝鼎峰成元茂宸'];
const COOP_PRODUCTS = ['果蔬种植', '粮食种植', '茶叶', '生猪养殖', '肉牛养殖', '水产养殖', '食用菌', '中药材种植', '农机', '花卉苗木'];
const PUBLIC_INSTITUTIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['第一中学', 'P', '83'], ['实验小学', 'P', '83'], ['职业技术学校', 'P', '83'], ['人民医院', 'Q', '84'], ['中医院', 'Q', '84'],
  ['妇幼保健院', 'Q', '84'], ['疾病预防控制中心', 'Q', '84'], ['图书馆', 'R', '88'], ['文化馆', 'R', '88'], ['融媒体中心', 'R', '86'],
  ['社会福利院', 'Q', '85'], ['不动产登记中心', 'S', '92'],
];
const ASSOCIATIONS = ['个体劳动者协会', '餐饮行业协会', '软件行业协会', '摄影家协会', '书法家协会', '企业家协会', '物流协会', '老年体育协会', '慈善会'];
const PRIVATE_NONPROFITS: ReadonlyArray<readonly [string, string, string]> = [
  ['培训学校', 'P', '83'], ['幼儿园', 'P', '83'], ['养老院', 'Q', '85'], ['社会工作服务中心', 'Q', '85'], ['康复中心', 'Q', '84'],
];

/**
 * Everyday short form of a city name: 深圳市 → 深圳, 锡林郭勒盟 → 锡林郭勒, and for autonomous prefectures the part
 * before the first ethnic name: 延边朝鲜族自治州 → 延边, 黔东南苗族侗族自治州 → 黔东南.
 */
export function shortCityName(name: string): string {
  const prefecture = /^(.+?)(朝鲜|土家|苗|侗|布依|蒙古|柯尔克孜|哈萨克|藏|羌|彝|壮|哈尼|傣|白|景颇|傈僳|回).*自治州$/.exec(name);
  if (prefecture?.[1]) return prefecture[1];
  return name.replace(/(市|地区|盟)$/, '');
}

/** Place word at the start of a name: 深圳市 / 深圳 / 广东, or the city's name for 直辖市 (北京). */
function placeWord(rng: Random, county: County): string {
  const c = cityOfCounty(county.code);
  const city = c && c.kind !== 'provincial' ? c.name : county.name;
  const r = rng.float();
  if (r < 0.5 && !city.endsWith('自治州')) return city;
  if (r < 0.8) return shortCityName(city);
  return (provinceOfCounty(county.code)?.name ?? city).replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, '');
}

function tradeName(rng: Random): string {
  const a = rng.pick(TRADE_NAME_CHARS);
  let b = rng.pick(TRADE_NAME_CHARS);
  if (b === a) b = rng.pick(TRADE_NAME_CHARS);
  return a + b;
}

/** Registered capital is declared in round figures: keep one or two significant digits. */
function roundCapital(rng: Random, x: number): number {
  // toPrecision rounds in decimal, so 3.5 stays 3.5 rather than 3.5000000000000004.
  return Math.max(1, Number(x.toPrecision(rng.chance(0.7) ? 1 : 2)));
}

/** Relative number of entities still on the register by founding year: few from the 1980s, a boom after 2014. */
const FOUNDING_YEARS = new WeightedTable(
  Array.from({ length: REFERENCE_YEAR - 1980 + 1 }, (_, k) => {
    const y = 1980 + k;
    const w = y <= 2016 ? Math.exp(0.16 * (y - 2016)) : 1 + 0.04 * (y - 2016);
    return [y, w] as const;
  }),
);
const REFERENCE_DAY = daysFromCivil(REFERENCE_YEAR, 12, 31);
/** Unified codes (and MA-prefixed organisation codes) were issued from October 2015. */
const USCC_ERA_DAY = daysFromCivil(2015, 10, 1);

const ORG_DIGITS = '0123456789';

/** The few attributes of an entity that decide whether other datasets refer to it. */
export interface EntityCore {
  index: number;
  entityType: string;
  /** first two USCC characters */
  authorityAndType: string;
  establishedDay: number;
  status: EntityStatus;
}

export class LegalPersonModel {
  private readonly key: SeedKey;
  private readonly coreKey: SeedKey;
  private readonly rng = new Random();
  private readonly coreRng = new Random();
  private readonly counties = residentCountyTable();

  constructor(seed: string | number) {
    this.key = deriveSeedKey(seed, 'legal_persons/entity');
    this.coreKey = deriveSeedKey(seed, 'legal_persons/core');
  }

  /**
   * Type, founding day and status of entity `index`: a handful of draws from their own stream and no strings, so
   * other generators can screen thousands of entities (is it active? is it on the dishonest list?) cheaply.
   */
  core(index: number): EntityCore {
    const rng = this.coreRng.reseed(this.coreKey, index);
    const kind = rng.weighted(KINDS);
    const year = rng.weighted(FOUNDING_YEARS);
    const establishedDay = Math.min(REFERENCE_DAY, daysFromCivil(year, 1, 1) + rng.int(0, isLeapYear(year) ? 365 : 364));
    // Older entities are more likely to have closed: a constant hazard of about 3% a year.
    const ageYears = (REFERENCE_DAY - establishedDay) / 365.25;
    let status: EntityStatus;
    if (rng.chance(1 - Math.exp(-0.03 * ageYears))) {
      const r = rng.float();
      // 吊销 (licence revoked) mostly hit firms that stopped filing annual reports before the 2014 reform.
      status = r < (year < 2014 ? 0.6 : 0.8) ? '注销' : r < 0.96 ? '吊销' : '迁出';
    } else {
      status = rng.chance(0.75) ? '存续' : '在业';
    }
    return { index, entityType: kind.type, authorityAndType: kind.code, establishedDay, status };
  }

  entity(index: number): LegalEntity {
    const core = this.core(index);
    const { establishedDay, status } = core;
    const rng = this.rng.reseed(this.key, index);
    const kind = { code: core.authorityAndType, type: core.entityType };
    const county = rng.weighted(this.counties);

    // Organisation code body: entities registered since the unified code carry "MA" + six characters; older ones
    // kept their 8-digit GB 11714 code when re-issued.
    let body: string;
    if (establishedDay >= USCC_ERA_DAY && kind.code.startsWith('9')) {
      body = 'MA';
      for (let k = 0; k < 6; k++) body += USCC_CHARSET.charAt(rng.int(0, k === 0 ? 9 : USCC_CHARSET.length - 1));
    } else {
      body = '';
      for (let k = 0; k < 8; k++) body += ORG_DIGITS.charAt(rng.int(0, 9));
    }
    const uscc = composeUscc(kind.code, county.code, body);

    let name: string;
    let industry: IndustryDivision;
    let capital: number;
    const place = placeWord(rng, county);
    switch (kind.type) {
      case '农民专业合作社': {
        const product = rng.pick(COOP_PRODUCTS);
        industry = division('A', product.includes('养殖') ? (product.includes('水产') ? '04' : '03') : product === '农机' ? '05' : '01');
        name = `${county.name}${tradeName(rng)}${product}专业合作社`;
        capital = roundCapital(rng, rng.lognormal(50, 1));
        break;
      }
      case '事业单位': {
        const [what, section, code] = rng.pick(PUBLIC_INSTITUTIONS);
        industry = division(section, code);
        name = county.name + what;
        capital = roundCapital(rng, rng.lognormal(200, 1.2));
        break;
      }
      case '社会团体':
        industry = division('S', '95');
        name = place + rng.pick(ASSOCIATIONS);
        capital = roundCapital(rng, rng.lognormal(10, 0.8));
        break;
      case '民办非企业单位': {
        const [what, section, code] = rng.pick(PRIVATE_NONPROFITS);
        industry = division(section, code);
        name = `${place}${tradeName(rng)}${what}`;
        capital = roundCapital(rng, rng.lognormal(20, 1));
        break;
      }
      default: {
        industry = rng.weighted(ENTERPRISE_DIVISIONS);
        const word = rng.pick(industry.nameWords);
        const suffix = kind.type === '股份有限公司' ? '股份有限公司' : kind.type === '个人独资企业' ? '经营部' : rng.chance(0.85) ? '有限公司' : '有限责任公司';
        // Some firms put the place in brackets after the trade name: 华信（深圳）科技有限公司.
        name = rng.chance(0.1)
          ? `${tradeName(rng)}（${place.replace(/市$/, '')}）${word}${suffix}`
          : `${place}${tradeName(rng)}${word}${suffix}`;
        const median = kind.type === '股份有限公司' ? 5000 : kind.type === '个人独资企业' ? 10 : 100;
        capital = roundCapital(rng, rng.lognormal(median, 1.5));
        break;
      }
    }

    let employeeCount: number | null = null;
    const active = status === '存续' || status === '在业';
    if (active ? rng.chance(0.85) : rng.chance(0.1)) {
      employeeCount = Math.max(1, Math.round(rng.lognormal(2 + 1.5 * capital ** 0.35, 0.9)));
    }

    const street = rng.chance(0.4) ? rng.pick(streetsOfCounty(county.code)).name : '';
    return {
      index,
      uscc,
      name,
      entityType: kind.type,
      legalRepresentative: randomName(rng, rng.chance(0.72), rng.int(1955, 1998), '汉族'),
      industry,
      registeredCapital: capital,
      establishedDay,
      status,
      county,
      address: county.fullName + street + randomBusinessAddressDetail(rng),
      employeeCount,
    };
  }
}

/** True while an entity can employ people or be sued as a going concern. */
export function isActive(e: EntityCore | LegalEntity): boolean {
  return e.status === '存续' || e.status === '在业';
}

export function toRow(e: LegalEntity): Row {
  return {
    uscc: e.uscc,
    name: e.name,
    entity_type: e.entityType,
    legal_representative: e.legalRepresentative,
    industry_code: e.industry.section + e.industry.division,
    industry_name: e.industry.name,
    registered_capital: e.registeredCapital,
    established_date: formatDay(e.establishedDay),
    status: e.status,
    region_code: e.county.code,
    address: e.address,
    employee_count: e.employeeCount,
  };
}

export function* generate(options: GenerateOptions): Generator<Row, void, undefined> {
  const { rows, seed } = checkOptions(options);
  const model = new LegalPersonModel(seed);
  for (let i = 0; i < rows; i++) yield toRow(model.entity(i));
}

export const legalPersons: DatasetModule = { definition, generate };
