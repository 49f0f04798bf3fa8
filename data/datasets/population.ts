// 人口基础库: synthetic residents in households, with valid resident IDs, weighted by the 2020 census.
//
// Row i is a pure function of (seed, i): other datasets (social_insurance, health_visits) call `PopulationModel.person`
// to refer to the same residents without generating the whole table. Persons come in blocks of 16 consecutive
// indices; each block is split into households (head, spouse, children, parents) that share an address.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import {
  AGE_GROUPS_2020,
  BIRTHS_AFTER_2020,
  DEFAULT_ETHNICITY,
  ETHNICITY_BY_PROVINCE,
  HOUSEHOLD_SIZES,
  PROVINCE_WAGE_FACTOR,
  SEX_RATIO_BY_AGE_2020,
} from '../census.ts';
import { daysFromCivil, formatDay, formatDayCompact, isLeapYear } from '../calendar.ts';
import { residentIdCheckChar } from '../checksums/resident-id.ts';
import { residentCountyTable, streetsOfCounty, type County, type Street } from '../divisions.ts';
import { randomAddressDetail } from '../addresses.ts';
import { randomName, randomSurname } from '../names.ts';
import { deriveSeedKey, Random, WeightedTable, type SeedKey } from '../random.ts';
import { checkOptions, REFERENCE_YEAR, round2, type DatasetModule, type GenerateOptions } from './dataset.ts';
import { composeUscc } from '../checksums/uscc.ts';

export const definition: DatasetDefinition = {
  code: 'population',
  name: '人口基础信息库',
  description:
    '全员人口基础信息：身份、户籍地、住址、联系方式、教育、就业与收入、婚姻状况、户号。 / Basic information on registered residents: identity, registration place, address, contact, education, employment and income, marital status, household.',
  department: '省公安厅',
  departmentCode: composeUscc('11', '330000', '00248216'),
  sourceSystem: '公安人口信息管理系统',
  updateCycle: 'daily',
  grade: 'important',
  openType: 'not_open',
  fields: [
    { name: 'person_id', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '公民身份号码（GB 11643-1999，18位） / Resident ID number (GB 11643-1999, 18 characters)' },
    { name: 'name', type: 'string', nullable: false, sensitivity: 'personal', description: '姓名 / Full name' },
    { name: 'sex', type: 'string', nullable: false, sensitivity: 'personal', description: '性别（男/女） / Sex (男 male, 女 female)' },
    { name: 'birth_date', type: 'date', nullable: false, sensitivity: 'personal', description: '出生日期 / Date of birth' },
    { name: 'ethnicity', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '民族 / Ethnic group' },
    { name: 'region_code', type: 'string', nullable: false, sensitivity: 'personal', description: '户籍地县级行政区划代码（6位） / County of household registration (6-digit division code)' },
    { name: 'street_code', type: 'string', nullable: false, sensitivity: 'personal', description: '户籍地乡级区划代码（9位） / Township or sub-district of registration (9-digit code)' },
    { name: 'address', type: 'string', nullable: false, sensitivity: 'personal', description: '户籍地址 / Registered address' },
    { name: 'mobile', type: 'string', nullable: true, sensitivity: 'personal', description: '手机号码 / Mobile phone number' },
    { name: 'education', type: 'string', nullable: true, sensitivity: 'personal', description: '受教育程度（学龄前为空） / Educational attainment (empty below school age)' },
    { name: 'employment_status', type: 'string', nullable: false, sensitivity: 'personal', description: '就业状态 / Employment status' },
    { name: 'annual_income', type: 'decimal', nullable: true, sensitivity: 'sensitive_personal', description: '年收入（元） / Annual income (yuan)' },
    { name: 'marital_status', type: 'string', nullable: true, sensitivity: 'sensitive_personal', description: '婚姻状况 / Marital status' },
    { name: 'household_id', type: 'string', nullable: false, sensitivity: 'personal', description: '户号 / Household number' },
    { name: 'relation_to_head', type: 'string', nullable: false, sensitivity: 'personal', description: '与户主关系 / Relationship to the head of household' },
  ],
};

// ---- age structure ---------------------------------------------------------------------------------------------

const MIN_BIRTH_YEAR = 1921;
const ADULT_AGE = 20;
const REFERENCE_DAY = daysFromCivil(REFERENCE_YEAR, 12, 31);

/** Census group index (0 = ages 0-4 in 2020 ... 17 = 85+) of a birth cohort. */
function groupOfBirthYear(year: number): number {
  return Math.min(17, Math.max(0, Math.floor((2020 - year) / 5)));
}

/**
 * Relative size of each birth cohort at the end of REFERENCE_YEAR: 2020 census age groups spread over their birth
 * years, births since the census added, and the older cohorts thinned by four years of mortality.
 */
function cohortWeights(): Map<number, number> {
  const w = new Map<number, number>();
  const add = (year: number, x: number) => w.set(year, (w.get(year) ?? 0) + x);
  for (const [age, pop] of AGE_GROUPS_2020) {
    if (age === 85) {
      // 85+ is open-ended: most of it is 85-89.
      for (let k = 0; k < 5; k++) {
        add(2020 - 85 - k, (pop * 0.7) / 5);
        add(2020 - 90 - k, (pop * 0.24) / 5);
        add(2020 - 95 - k, (pop * 0.06) / 5);
      }
    } else {
      for (let k = 0; k < 5; k++) add(2020 - age - k, pop / 5);
    }
  }
  for (const [year, births] of Object.entries(BIRTHS_AFTER_2020)) add(Number(year), births);
  for (const [year, x] of w) {
    const age2020 = 2020 - year;
    // Gompertz-style annual death rate, applied over the four years since the census.
    const q = age2020 >= 40 ? 0.005 * Math.exp(0.09 * (age2020 - 55)) : 0;
    w.set(year, year < MIN_BIRTH_YEAR ? 0 : x * Math.exp(-4 * Math.min(q, 0.5)));
  }
  return w;
}

const COHORTS = cohortWeights();
const COUPLE_SHARE = 0.78; // households of 2+ persons built around a married couple
const HEAD_MALE_SHARE = 0.8; // 户主 of a couple household is usually the husband

/** Birth years of anyone (the census pyramid), of adults, and of the non-couple members of households. */
const allYears = new WeightedTable(COHORTS);
const adultYears = new WeightedTable([...COHORTS].filter(([y]) => REFERENCE_YEAR - y >= ADULT_AGE));
const memberYears = (() => {
  // Heads and spouses are adults; the other members are drawn from a distribution that puts the missing children
  // back, so the population as a whole still follows the pyramid: f*P(age|adult) + (1-f)*Q = P.
  let sizeTotal = 0;
  let meanSize = 0;
  let multi = 0;
  for (const [size, share] of HOUSEHOLD_SIZES) {
    sizeTotal += share;
    meanSize += size * share;
    if (size >= 2) multi += share;
  }
  meanSize /= sizeTotal;
  const f = (1 + (multi / sizeTotal) * COUPLE_SHARE) / meanSize;
  let childShare = 0;
  for (const [y, x] of COHORTS) if (REFERENCE_YEAR - y < ADULT_AGE) childShare += x / allYears.total;
  const adultFactor = Math.max(0.02, 1 - f / (1 - childShare));
  return new WeightedTable([...COHORTS].map(([y, x]) => [y, REFERENCE_YEAR - y < ADULT_AGE ? x : x * adultFactor] as const));
})();

const MALE_PROBABILITY = SEX_RATIO_BY_AGE_2020.map((r) => r / (100 + r));

// Day number of 1 January and length of each year, so a birth date is one addition away.
const YEAR_START = new Map<number, number>();
for (let y = MIN_BIRTH_YEAR - 30; y <= REFERENCE_YEAR; y++) YEAR_START.set(y, daysFromCivil(y, 1, 1));

function randomBirthDay(rng: Random, year: number): number {
  const start = YEAR_START.get(year) ?? daysFromCivil(year, 1, 1);
  return Math.min(REFERENCE_DAY, start + Math.floor(rng.float() * (isLeapYear(year) ? 366 : 365)));
}

// ---- categorical attributes --------------------------------------------------------------------------------------

const ethnicityTables = new Map<string, WeightedTable<string>>();
function ethnicityTable(provinceCode: string): WeightedTable<string> {
  const key = provinceCode.slice(0, 2);
  let t = ethnicityTables.get(key);
  if (!t) ethnicityTables.set(key, (t = new WeightedTable(ETHNICITY_BY_PROVINCE[key] ?? DEFAULT_ETHNICITY)));
  return t;
}

const EDUCATION_LEVELS = ['未上过学', '小学', '初中', '高中', '大学专科', '大学本科', '硕士研究生', '博士研究生'] as const;
type Education = (typeof EDUCATION_LEVELS)[number];
const eduTable = (weights: readonly number[]) =>
  new WeightedTable(EDUCATION_LEVELS.map((level, i) => [level, weights[i] ?? 0] as const));
/** Final attainment by birth cohort (7th census attainment by age, coarsened): later cohorts studied longer. */
const EDUCATION_BY_COHORT: ReadonlyArray<readonly [number, WeightedTable<Education>]> = [
  [1950, eduTable([25, 45, 18, 8, 2.5, 1.4, 0.1, 0])],
  [1965, eduTable([8, 35, 35, 16, 3.5, 2.3, 0.2, 0])],
  [1980, eduTable([2, 20, 45, 18, 8, 6, 0.8, 0.1])],
  [1990, eduTable([0.7, 9, 40, 20, 15, 13, 2, 0.3])],
  [Number.POSITIVE_INFINITY, eduTable([0.3, 3, 25, 22, 23, 23, 3.3, 0.4])],
];
const EDUCATION_18_21 = eduTable([0, 0, 15, 60, 15, 10, 0, 0]);
const EDUCATION_22_24 = eduTable([0, 0.5, 12, 30, 25, 30, 2.5, 0]);

function randomEducation(rng: Random, age: number, birthYear: number): Education | null {
  if (age < 6) return null; // not applicable below school age
  if (age < 12) return '小学';
  if (age < 15) return '初中';
  if (age < 18) return rng.chance(0.85) ? '高中' : '初中';
  if (age < 22) return rng.weighted(EDUCATION_18_21);
  if (age < 25) return rng.weighted(EDUCATION_22_24);
  for (const [lastYear, table] of EDUCATION_BY_COHORT) if (birthYear <= lastYear) return rng.weighted(table);
  return '初中';
}

type Employment = '学龄前' | '在校学生' | '就业' | '失业' | '离退休' | '无业';
const empTable = (entries: ReadonlyArray<readonly [Employment, number]>) => new WeightedTable(entries);
const EMPLOYMENT_16_17 = empTable([['在校学生', 90], ['就业', 5], ['无业', 5]]);
const EMPLOYMENT_18_22 = empTable([['在校学生', 55], ['就业', 38], ['失业', 4], ['无业', 3]]);
const EMPLOYMENT_MEN = empTable([['就业', 88], ['失业', 4.5], ['无业', 7.5]]);
const EMPLOYMENT_WOMEN = empTable([['就业', 78], ['失业', 4], ['无业', 18]]);
const EMPLOYMENT_RETIRED = empTable([['离退休', 55], ['就业', 25], ['无业', 20]]);
const EMPLOYMENT_OLD = empTable([['离退休', 62], ['就业', 4], ['无业', 34]]);

/** Statutory retirement age before the 2025 reform: 60 for men, 55 for most women. */
export function retirementAge(male: boolean): number {
  return male ? 60 : 55;
}

function randomEmployment(rng: Random, age: number, male: boolean): Employment {
  if (age < 6) return '学龄前';
  if (age < 16) return '在校学生';
  if (age < 18) return rng.weighted(EMPLOYMENT_16_17);
  if (age < 23) return rng.weighted(EMPLOYMENT_18_22);
  if (age < retirementAge(male)) return rng.weighted(male ? EMPLOYMENT_MEN : EMPLOYMENT_WOMEN);
  return rng.weighted(age < 70 ? EMPLOYMENT_RETIRED : EMPLOYMENT_OLD);
}

/** Median annual wage (yuan, 2024, national level) by education. */
const WAGE_MEDIAN: Readonly<Record<Education, number>> = {
  未上过学: 30000, 小学: 36000, 初中: 45000, 高中: 55000, 大学专科: 68000, 大学本科: 95000, 硕士研究生: 150000, 博士研究生: 190000,
};

function randomIncome(rng: Random, employment: Employment, age: number, education: Education | null, provinceCode: string): number | null {
  const factor = PROVINCE_WAGE_FACTOR[provinceCode.slice(0, 2)] ?? 1;
  let income: number;
  switch (employment) {
    case '学龄前':
    case '在校学生':
      return null;
    case '就业': {
      const ageFactor = age < 25 ? 0.7 : age < 35 ? 0.95 : age < 50 ? 1.05 : 0.9;
      income = rng.lognormal(WAGE_MEDIAN[education ?? '初中'] * factor * ageFactor, 0.55);
      break;
    }
    case '失业':
      income = rng.lognormal(6000, 1.0);
      break;
    case '离退休':
      // Urban employee pensions versus the much smaller rural basic pension.
      income = rng.chance(0.55) ? rng.lognormal(40000 * factor, 0.4) : rng.lognormal(2600, 0.4);
      break;
    case '无业':
      if (rng.chance(0.4)) return null;
      income = rng.lognormal(4000, 1.2);
      break;
  }
  // Declarations are missing for some adults in any real register.
  if (rng.chance(0.06)) return null;
  return round2(income);
}

type Marital = '未婚' | '已婚' | '离婚' | '丧偶';
const marTable = (w: readonly [number, number, number, number]) =>
  new WeightedTable<Marital>([['未婚', w[0]], ['已婚', w[1]], ['离婚', w[2]], ['丧偶', w[3]]]);
const MARITAL_BY_AGE: ReadonlyArray<readonly [number, WeightedTable<Marital>]> = [
  [24, marTable([85, 14, 1, 0])],
  [29, marTable([50, 47, 3, 0])],
  [39, marTable([15, 78, 6.5, 0.5])],
  [59, marTable([5, 83, 8, 4])],
  [69, marTable([3, 75, 4, 18])],
  [200, marTable([2, 50, 2, 46])],
];

function randomMarital(rng: Random, age: number, livesAlone: boolean): Marital | null {
  if (age < 20) return '未婚';
  if (rng.chance(0.015)) return null; // 未说明的婚姻状况
  for (const [maxAge, table] of MARITAL_BY_AGE) {
    if (age <= maxAge) {
      const status = rng.weighted(table);
      // People living alone are less often married; redraw once to thin out 已婚.
      return livesAlone && status === '已婚' && rng.chance(0.5) ? rng.weighted(table) : status;
    }
  }
  return '未婚';
}

/** Mobile number segments (号段) of China Mobile, Unicom, Telecom and Broadnet, weighted by rough subscriber share. */
const MOBILE_PREFIXES = new WeightedTable<string>([
  ['130', 3], ['131', 3], ['132', 3], ['133', 3], ['134', 3], ['135', 3.5], ['136', 3.5], ['137', 3.5], ['138', 4], ['139', 4],
  ['145', 0.2], ['147', 0.5], ['150', 2.5], ['151', 2.5], ['152', 2.5], ['153', 2.5], ['155', 2.5], ['156', 2.5], ['157', 2.5],
  ['158', 2.5], ['159', 2.5], ['166', 0.8], ['170', 0.3], ['171', 0.2], ['173', 1], ['175', 0.5], ['176', 1], ['177', 1],
  ['178', 1], ['180', 2.5], ['181', 2.5], ['182', 2.5], ['183', 2.5], ['184', 1], ['185', 2.5], ['186', 2.5], ['187', 2.5],
  ['188', 2.5], ['189', 2.5], ['190', 0.2], ['191', 0.5], ['192', 0.3], ['193', 0.3], ['195', 0.5], ['196', 0.2], ['197', 0.2],
  ['198', 0.8], ['199', 0.8],
]);

function mobileOwnership(age: number): number {
  if (age < 12) return 0;
  if (age < 18) return 0.5;
  if (age < 70) return 0.97;
  if (age < 80) return 0.75;
  return 0.45;
}

// ---- households ----------------------------------------------------------------------------------------------------

const BLOCK = 16;
const householdSizes = new WeightedTable(HOUSEHOLD_SIZES);

interface Household {
  start: number;
  size: number;
  couple: boolean;
  headMale: boolean;
  headYear: number;
  spouseYear: number;
  headSurname: string;
  spouseSurname: string;
  ethnicity: string;
  county: County;
  street: Street;
  address: string;
  id: string;
}

export type Relation = '户主' | '配偶' | '子女' | '孙子女' | '父母' | '其他';

/** One resident, as other generators see it. */
export interface Person {
  index: number;
  id: string;
  name: string;
  male: boolean;
  birthYear: number;
  birthDay: number;
  /** age on the reference day (31 December of REFERENCE_YEAR) */
  age: number;
  ethnicity: string;
  regionCode: string;
  streetCode: string;
  address: string;
  mobile: string | null;
  education: Education | null;
  employment: Employment;
  annualIncome: number | null;
  marital: Marital | null;
  householdId: string;
  relation: Relation;
}

/** Random access to the residents of one seed: `person(i)` is the i-th row of the population dataset. */
export class PopulationModel {
  private readonly personKey: SeedKey;
  private readonly householdKey: SeedKey;
  private readonly rng = new Random();
  private readonly blockRng = new Random();
  private cachedBlock = -1;
  private households: Household[] = [];
  private readonly counties = residentCountyTable();

  constructor(seed: string | number) {
    this.personKey = deriveSeedKey(seed, 'population/person');
    this.householdKey = deriveSeedKey(seed, 'population/household');
  }

  private household(index: number): Household {
    const block = Math.floor(index / BLOCK);
    if (block !== this.cachedBlock) this.buildBlock(block);
    const slot = index - block * BLOCK;
    for (const h of this.households) if (slot < h.start + h.size - block * BLOCK) return h;
    return this.households[this.households.length - 1] as Household;
  }

  /** Splits a block of 16 person slots into households and draws what members share. */
  private buildBlock(block: number): void {
    const rng = this.blockRng.reseed(this.householdKey, block);
    const list: Household[] = [];
    let offset = 0;
    while (offset < BLOCK) {
      const size = Math.min(BLOCK - offset, rng.weighted(householdSizes));
      const county = rng.weighted(this.counties);
      const streets = streetsOfCounty(county.code);
      const street = rng.pick(streets);
      const couple = size >= 2 && rng.chance(COUPLE_SHARE);
      const headMale = couple ? rng.chance(HEAD_MALE_SHARE) : rng.chance(0.55);
      const headYear = rng.weighted(adultYears);
      // Husbands are on average about two and a half years older than their wives.
      const gap = Math.round(rng.normal(headMale ? -2.5 : 2.5, 3));
      const spouseYear = Math.max(MIN_BIRTH_YEAR, Math.min(REFERENCE_YEAR - ADULT_AGE, headYear + gap));
      const start = block * BLOCK + offset;
      list.push({
        start,
        size,
        couple,
        headMale,
        headYear,
        spouseYear,
        headSurname: randomSurname(rng),
        spouseSurname: randomSurname(rng),
        ethnicity: rng.weighted(ethnicityTable(county.provinceCode)),
        county,
        street,
        address: street.fullName + randomAddressDetail(rng, street.name.endsWith('街道')),
        // 户号: county code + 10-digit serial (the first member's index + 1), unique within a seed.
        id: county.code + String(start + 1).padStart(10, '0'),
      });
      offset += size;
    }
    this.households = list;
    this.cachedBlock = block;
  }

  person(index: number): Person {
    const h = this.household(index);
    const rng = this.rng.reseed(this.personKey, index);
    const role = index - h.start;
    let relation: Relation;
    let male: boolean;
    let birthYear: number;
    let surname: string | undefined;
    if (role === 0) {
      relation = '户主';
      male = h.headMale;
      birthYear = h.headYear;
      surname = h.headSurname;
    } else if (role === 1 && h.couple) {
      relation = '配偶';
      male = !h.headMale;
      birthYear = h.spouseYear;
      surname = h.spouseSurname;
    } else {
      birthYear = rng.weighted(memberYears);
      male = rng.chance(MALE_PROBABILITY[groupOfBirthYear(birthYear)] ?? 0.5);
      if (birthYear >= h.headYear + 16) {
        relation = birthYear >= h.headYear + 42 ? '孙子女' : '子女';
        const fatherSurname = h.headMale ? h.headSurname : h.couple ? h.spouseSurname : h.headSurname;
        surname = rng.chance(0.9) ? fatherSurname : h.headMale ? h.spouseSurname : h.headSurname;
      } else if (birthYear <= h.headYear - 18) {
        relation = '父母';
      } else {
        relation = '其他';
      }
    }
    if (role === 0 && !h.couple && h.size === 1) {
      // Singles: sex follows the age-specific ratio rather than the couple-household 户主 convention.
      male = rng.chance(MALE_PROBABILITY[groupOfBirthYear(birthYear)] ?? 0.5);
    }
    const age = REFERENCE_YEAR - birthYear; // everyone has had their birthday by 31 December
    const birthDay = randomBirthDay(rng, birthYear);
    const ethnicity = rng.chance(0.95) ? h.ethnicity : rng.weighted(ethnicityTable(h.county.provinceCode));
    // The ID's region is where it was first issued: mostly the registration county, else wherever the person was born.
    const idRegion = rng.chance(0.88) ? h.county.code : rng.weighted(this.counties).code;
    const serial = rng.int(0, 499) * 2 + (male ? 1 : 0); // odd 17th digit = male
    const first17 = idRegion + formatDayCompact(birthDay) + String(serial).padStart(3, '0');
    const education = randomEducation(rng, age, birthYear);
    const employment = randomEmployment(rng, age, male);
    return {
      index,
      id: first17 + residentIdCheckChar(first17),
      name: randomName(rng, male, birthYear, ethnicity, surname),
      male,
      birthYear,
      birthDay,
      age,
      ethnicity,
      regionCode: h.county.code,
      streetCode: h.street.code,
      address: h.address,
      mobile: rng.chance(mobileOwnership(age))
        ? rng.weighted(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0')
        : null,
      education,
      employment,
      annualIncome: randomIncome(rng, employment, age, education, h.county.provinceCode),
      marital: h.couple && role <= 1 ? '已婚' : randomMarital(rng, age, h.size === 1),
      householdId: h.id,
      relation,
    };
  }
}

export function toRow(p: Person): Row {
  // Key order follows definition.fields, so NDJSON and CSV columns agree.
  return {
    person_id: p.id,
    name: p.name,
    sex: p.male ? '男' : '女',
    birth_date: formatDay(p.birthDay),
    ethnicity: p.ethnicity,
    region_code: p.regionCode,
    street_code: p.streetCode,
    address: p.address,
    mobile: p.mobile,
    education: p.education,
    employment_status: p.employment,
    annual_income: p.annualIncome,
    marital_status: p.marital,
    household_id: p.householdId,
    relation_to_head: p.relation,
  };
}

export function* generate(options: GenerateOptions): Generator<Row, void, undefined> {
  const { rows, seed } = checkOptions(options);
  const model = new PopulationModel(seed);
  for (let i = 0; i < rows; i++) yield toRow(model.person(i));
}

export const population: DatasetModule = { definition, generate };
