// 医疗健康: outpatient, emergency and inpatient visits in the reference year, linked to population residents.
//
// Walks the residents of the same seed in index order (PopulationModel.person(0), (1), ...); each has a Poisson
// number of visits whose mean rises for infants and the elderly. The first n residents' visits only refer to
// population rows below n: see `linkedRowsNeeded`.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import { daysFromCivil, formatDay, formatDayCompact, isLeapYear, weekday } from '../calendar.ts';
import { composeUscc } from '../checksums/uscc.ts';
import { ICD10_CHAPTERS, type IcdChapter } from '../icd10.ts';
import { deriveSeedKey, Random, WeightedTable } from '../random.ts';
import { checkOptions, REFERENCE_YEAR, type DatasetModule, type GenerateOptions } from './dataset.ts';
import { PopulationModel, type Person } from './population.ts';

export const definition: DatasetDefinition = {
  code: 'health_visits',
  name: '医疗服务就诊记录',
  description:
    '医疗机构门诊、急诊和住院就诊记录，含机构等级、科室、诊断类别、费用与医保支付。 / Outpatient, emergency and inpatient visits: hospital level, department, diagnosis chapter, costs and insurance payments.',
  department: '省卫生健康委员会',
  departmentCode: composeUscc('11', '330000', '00250328'),
  sourceSystem: '全民健康信息平台',
  updateCycle: 'daily',
  grade: 'important',
  openType: 'not_open',
  fields: [
    { name: 'visit_id', type: 'string', nullable: false, sensitivity: 'personal', description: '就诊流水号 / Visit number' },
    { name: 'person_id', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '患者公民身份号码 / Resident ID of the patient' },
    { name: 'visit_date', type: 'date', nullable: false, sensitivity: 'sensitive_personal', description: '就诊（入院）日期 / Date of visit or admission' },
    { name: 'hospital_level', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '医疗机构等级（三级甲等/三级/二级/一级/社区） / Level of the facility' },
    { name: 'department', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '就诊科室 / Clinical department' },
    { name: 'diagnosis_category', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '主要诊断ICD-10章（编码范围） / Chapter of the main ICD-10 diagnosis (code block)' },
    { name: 'diagnosis_name', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '主要诊断ICD-10章名称 / Name of that ICD-10 chapter' },
    { name: 'visit_type', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '就诊类型（门诊/急诊/住院） / Visit type (outpatient, emergency, inpatient)' },
    { name: 'total_cost', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '医疗总费用（元） / Total cost, yuan' },
    { name: 'insurance_paid', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '医保统筹支付（元） / Paid by medical insurance, yuan' },
    { name: 'self_paid', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '个人自付（元） / Paid by the patient, yuan' },
    { name: 'length_of_stay', type: 'integer', nullable: true, sensitivity: 'sensitive_personal', description: '住院天数（非住院为空） / Days in hospital (empty unless inpatient)' },
    { name: 'region_code', type: 'string', nullable: false, sensitivity: 'personal', description: '医疗机构所在县级区划代码 / County of the facility' },
  ],
};

type Level = '三级甲等' | '三级' | '二级' | '一级' | '社区';
type VisitType = '门诊' | '急诊' | '住院';

/** Facility levels by visit type (社区 = community health centres, which admit almost nobody). */
const LEVELS: Readonly<Record<VisitType, WeightedTable<Level>>> = {
  门诊: new WeightedTable<Level>([['三级甲等', 22], ['三级', 13], ['二级', 25], ['一级', 10], ['社区', 30]]),
  急诊: new WeightedTable<Level>([['三级甲等', 35], ['三级', 20], ['二级', 35], ['一级', 10]]),
  住院: new WeightedTable<Level>([['三级甲等', 35], ['三级', 20], ['二级', 38], ['一级', 7]]),
};

/**
 * Average cost per outpatient visit and per inpatient day, yuan, after the 2023 statistical bulletin on health
 * care (次均门诊费用 and 人均住院费用 by hospital level).
 */
const OUTPATIENT_MEAN: Readonly<Record<Level, number>> = { 三级甲等: 450, 三级: 380, 二级: 250, 一级: 150, 社区: 120 };
const INPATIENT_DAY_MEAN: Readonly<Record<Level, number>> = { 三级甲等: 1800, 三级: 1500, 二级: 900, 一级: 600, 社区: 500 };

/** Annual visits per person by age (China averages about six a year, much more for infants and the old). */
function visitRate(age: number): number {
  if (age < 1) return 8;
  if (age < 5) return 6;
  if (age < 15) return 3;
  if (age < 45) return 3.5;
  if (age < 65) return 6;
  return 11;
}

/** Diagnosis tables by age band and sex, built once: 0 infants, 1 children, 2 ages 15-49, 3 ages 50-59, 4 elderly. */
const chapterTables = new Map<number, WeightedTable<IcdChapter>>();
function chapterTable(age: number, male: boolean): WeightedTable<IcdChapter> {
  const band = age < 1 ? 0 : age < 15 ? 1 : age < 50 ? 2 : age < 60 ? 3 : 4;
  const key = band * 2 + (male ? 1 : 0);
  let t = chapterTables.get(key);
  if (!t) {
    t = new WeightedTable(
      ICD10_CHAPTERS.map((ch) => {
        let w = ch.adultShare * (band <= 1 ? ch.childFactor : band === 4 ? ch.elderFactor : 1);
        // Pregnancy only for women of child-bearing age; perinatal conditions only for infants.
        if (ch.code.startsWith('O')) w = !male && band === 2 ? ch.adultShare : 0;
        if (ch.code.startsWith('P')) w = band === 0 ? 15 : 0;
        return [ch, w] as const;
      }),
    );
    chapterTables.set(key, t);
  }
  return t;
}

function departmentFor(rng: Random, chapter: IcdChapter, age: number, male: boolean, type: VisitType, level: Level): string {
  if (type === '急诊') return '急诊科';
  if (level === '社区') return rng.chance(0.85) ? '全科医学科' : '中医科';
  if (type === '门诊' && rng.chance(0.08)) return '中医科';
  if (age < 14 && !'HS'.includes(chapter.code.charAt(0)) && !chapter.code.startsWith('P')) return '儿科';
  if (chapter.code.startsWith('N') && !male && rng.chance(0.6)) return '妇科';
  if (chapter.code.startsWith('S') && rng.chance(0.4)) return '普通外科';
  return chapter.department;
}

const YEAR_START = daysFromCivil(REFERENCE_YEAR, 1, 1);
const YEAR_DAYS = isLeapYear(REFERENCE_YEAR) ? 366 : 365;

/** A visit day in the reference year; outpatient clinics see fewer people at weekends. */
function randomVisitDay(rng: Random, notBefore: number): number {
  for (;;) {
    const day = notBefore + Math.floor(rng.float() * (YEAR_START + YEAR_DAYS - notBefore));
    if (weekday(day) < 5 || rng.chance(0.55)) return day;
  }
}

interface LinkCursor {
  personIndex: number;
}

export function generate(options: GenerateOptions): Generator<Row, void, undefined> {
  return walk(checkOptions(options), { personIndex: -1 });
}

/** Rows of population (same seed) that contain every person referenced by the first `rows` visits. */
export function linkedRowsNeeded(options: GenerateOptions): { population: number } {
  const cursor: LinkCursor = { personIndex: -1 };
  for (const _row of walk(checkOptions(options), cursor));
  return { population: cursor.personIndex + 1 };
}

function* walk({ rows, seed }: { rows: number; seed: string }, cursor: LinkCursor): Generator<Row, void, undefined> {
  const people = new PopulationModel(seed);
  const key = deriveSeedKey(seed, 'health_visits/person');
  const rng = new Random();
  const days: number[] = [];
  let emitted = 0;
  for (let p = 0; emitted < rows; p++) {
    const person: Person = people.person(p);
    rng.reseed(key, p);
    // Infants are only visited after birth.
    const from = Math.max(YEAR_START, person.birthDay);
    const share = (YEAR_START + YEAR_DAYS - from) / YEAR_DAYS;
    const n = rng.poisson(visitRate(person.age) * share);
    if (n === 0) continue;
    cursor.personIndex = p;
    days.length = 0;
    for (let k = 0; k < n; k++) days.push(randomVisitDay(rng, from));
    days.sort((a, b) => a - b);
    for (let k = 0; k < n && emitted < rows; k++) {
      const day = days[k] as number;
      const chapter = rng.weighted(chapterTable(person.age, person.male));
      const elder = person.age >= 65 ? 2 : 1;
      const r = rng.float();
      const pAdmit = 0.03 * chapter.admissionFactor * elder;
      const pEmergency = 0.06 * (chapter.code.startsWith('S') ? 4 : 1) * (person.age < 14 ? 1.5 : 1);
      const type: VisitType = r < pAdmit ? '住院' : r < pAdmit + pEmergency ? '急诊' : '门诊';
      const level = rng.weighted(LEVELS[type]);
      let totalCents: number;
      let lengthOfStay: number | null = null;
      let insuredShare: number;
      if (type === '住院') {
        lengthOfStay = Math.max(1, Math.round(rng.lognormal(chapter.code.startsWith('C') ? 10 : 7, 0.55)));
        totalCents = Math.round(rng.lognormal(INPATIENT_DAY_MEAN[level] * lengthOfStay ** 0.85, 0.4) * 100);
        insuredShare = Math.min(0.9, Math.max(0.3, rng.normal(0.62, 0.1)));
      } else {
        // Log-normal with sigma 0.8 has mean = median * 1.377; scale the median so the mean matches the bulletin.
        const mean = OUTPATIENT_MEAN[level] * (type === '急诊' ? 1.6 : 1);
        totalCents = Math.max(500, Math.round(rng.lognormal(mean / 1.377, 0.8) * 100));
        // Outpatient pooling pays only part of the bill, and nothing below the deductible for many visits.
        insuredShare = rng.chance(0.35) ? 0 : Math.min(0.85, Math.max(0.1, rng.normal(level === '社区' || level === '一级' ? 0.6 : 0.45, 0.15)));
      }
      if (rng.chance(0.04)) insuredShare = 0; // uninsured or paid out of pocket
      const insuredCents = Math.round(totalCents * insuredShare);
      emitted++;
      yield {
        // 就诊流水号: county + date + 8-digit running number (unique in a run of up to 100 million rows).
        visit_id: person.regionCode + formatDayCompact(day) + String(emitted - 1).padStart(8, '0'),
        person_id: person.id,
        visit_date: formatDay(day),
        hospital_level: level,
        department: departmentFor(rng, chapter, person.age, person.male, type, level),
        diagnosis_category: chapter.code,
        diagnosis_name: chapter.name,
        visit_type: type,
        total_cost: totalCents / 100,
        insurance_paid: insuredCents / 100,
        self_paid: (totalCents - insuredCents) / 100,
        length_of_stay: lengthOfStay,
        region_code: person.regionCode,
      };
    }
  }
}

export const healthVisits: DatasetModule = { definition, generate, linkedRowsNeeded };
