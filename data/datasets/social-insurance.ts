// 社会保障: monthly contribution records of employed people of working age, linked to population and legal_persons.
//
// The generator walks the residents of the same seed in index order (PopulationModel.person(0), (1), ...), skips
// those not employed or outside working age, and writes each remaining person's last months of contributions,
// five insurance types a month. Person p's employer is a legal_persons entity with index below p/8 + 70 (drawn below
// p/8 + 50, then moved past up to 20 closed entities), so a population of n rows and legal_persons of n/8 + 70 rows
// cover every reference made by the first n persons. See `linkedRowsNeeded`.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import { composeUscc } from '../checksums/uscc.ts';
import { PROVINCE_WAGE_FACTOR } from '../census.ts';
import { deriveSeedKey, Random, type SeedKey } from '../random.ts';
import { checkOptions, REFERENCE_YEAR, round2, type DatasetModule, type GenerateOptions } from './dataset.ts';
import { isActive, LegalPersonModel, type LegalEntity } from './legal-persons.ts';
import { PopulationModel, retirementAge, type Person } from './population.ts';

export const definition: DatasetDefinition = {
  code: 'social_insurance',
  name: '社会保险缴费信息',
  description:
    '职工按月、按险种的社会保险缴费记录，含缴费基数、单位与个人缴费额和欠费情况。 / Monthly social insurance contributions of employees by insurance type: contribution base, employer and personal amounts, arrears.',
  department: '省人力资源和社会保障厅',
  departmentCode: composeUscc('11', '330000', '00248144'),
  sourceSystem: '金保工程社会保险信息系统',
  updateCycle: 'monthly',
  grade: 'important',
  openType: 'not_open',
  fields: [
    { name: 'person_id', type: 'string', nullable: false, sensitivity: 'sensitive_personal', description: '参保人公民身份号码 / Resident ID of the insured person' },
    { name: 'employer_uscc', type: 'string', nullable: false, sensitivity: 'none', description: '参保单位统一社会信用代码 / USCC of the employer' },
    { name: 'period', type: 'string', nullable: false, sensitivity: 'none', description: '费款所属期（YYYY-MM） / Contribution month (YYYY-MM)' },
    { name: 'insurance_type', type: 'string', nullable: false, sensitivity: 'none', description: '险种（养老/医疗/失业/工伤/生育） / Insurance type (pension, medical, unemployment, work injury, maternity)' },
    { name: 'contribution_base', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '缴费基数（元/月） / Contribution base, yuan per month' },
    { name: 'employer_amount', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '单位缴费额（元） / Employer contribution, yuan' },
    { name: 'personal_amount', type: 'decimal', nullable: false, sensitivity: 'sensitive_personal', description: '个人缴费额（元） / Employee contribution, yuan' },
    { name: 'paid', type: 'boolean', nullable: false, sensitivity: 'personal', description: '是否已足额缴纳 / Whether the month was paid in full' },
    { name: 'arrears_amount', type: 'decimal', nullable: false, sensitivity: 'personal', description: '欠费金额（元，已缴为0） / Amount in arrears, yuan (0 when paid)' },
    { name: 'region_code', type: 'string', nullable: false, sensitivity: 'none', description: '参保地县级区划代码 / County where the contribution is registered' },
  ],
};

/**
 * Contribution rates (employer, employee) in the common pattern after the 2019 rate cuts (国办发〔2019〕13号):
 * pension 16% + 8%, medical about 8% + 2%, unemployment 0.5% + 0.5%, work injury by industry risk, maternity 0.8%.
 */
const TYPES = ['养老', '医疗', '失业', '工伤', '生育'] as const;
const EMPLOYER_RATE = [0.16, 0.08, 0.005, 0, 0.008] as const; // 工伤 depends on the employer's industry
const PERSONAL_RATE = [0.08, 0.02, 0.005, 0, 0] as const;
/** Industry sections with higher work-injury risk class (mining, manufacturing, construction, transport...). */
const HIGH_RISK_SECTIONS = new Set(['B', 'C', 'D', 'E', 'G']);

/** Average monthly wage used to set base limits (社平工资, yuan, 2024, national level). */
const AVERAGE_MONTHLY_WAGE = 7500;
const CHRONIC_ARREARS_SHARE = 0.03;
/** Employees per employer index: person p works for an entity with index < p / EMPLOYEES_PER_ENTITY + 50. */
export const EMPLOYEES_PER_ENTITY = 8;
const LAST_MONTH = REFERENCE_YEAR * 12 + 11; // December of the reference year, as year*12 + month-1

const PAD2 = Array.from({ length: 13 }, (_, i) => String(i).padStart(2, '0'));

/** An entity index for person p: heavily skewed to low indices, so early entities are the big employers. */
export function employerIndexFor(rng: Random, personIndex: number): number {
  const bound = Math.floor(personIndex / EMPLOYEES_PER_ENTITY) + 50;
  const u = rng.float();
  return Math.floor(u * u * u * bound);
}

/**
 * Rows of population and legal_persons (same seed) that contain every person and employer referenced by the first
 * `rows` rows of social_insurance. Walks the population, so it costs about as much as generating those rows.
 */
export function linkedRowsNeeded(options: GenerateOptions): { population: number; legal_persons: number } {
  const cursor: LinkCursor = { personIndex: -1, entityIndex: -1 };
  let legalPersons = 0;
  for (const _row of walk(checkOptions(options), cursor)) legalPersons = Math.max(legalPersons, cursor.entityIndex + 1);
  return { population: cursor.personIndex + 1, legal_persons: legalPersons };
}

function eligible(p: Person): boolean {
  return p.employment === '就业' && p.age >= 16 && p.age < retirementAge(p.male);
}

/** Indices of the population row and legal_persons row behind the row just yielded. */
interface LinkCursor {
  personIndex: number;
  entityIndex: number;
}

export function generate(options: GenerateOptions): Generator<Row, void, undefined> {
  return walk(checkOptions(options), { personIndex: -1, entityIndex: -1 });
}

function* walk({ rows, seed }: { rows: number; seed: string }, cursor: LinkCursor): Generator<Row, void, undefined> {
  const people = new PopulationModel(seed);
  const entities = new LegalPersonModel(seed);
  const personKey: SeedKey = deriveSeedKey(seed, 'social_insurance/person');
  const employerKey: SeedKey = deriveSeedKey(seed, 'social_insurance/employer');
  const rng = new Random();
  const employerRng = new Random();

  let emitted = 0;
  for (let p = 0; emitted < rows; p++) {
    const person = people.person(p);
    if (!eligible(person)) continue;
    rng.reseed(personKey, p);

    // First active entity at or after the drawn index; closed firms pay no contributions.
    let candidate = entities.core(employerIndexFor(rng, p));
    for (let k = 1; k <= 20 && !isActive(candidate); k++) candidate = entities.core(candidate.index + 1);
    const employer: LegalEntity = entities.entity(candidate.index);
    cursor.personIndex = p;
    cursor.entityIndex = employer.index;
    const chronic = employerRng.reseed(employerKey, employer.index).chance(CHRONIC_ARREARS_SHARE);

    const factor = PROVINCE_WAGE_FACTOR[employer.county.code.slice(0, 2)] ?? 1;
    const floor = Math.round(AVERAGE_MONTHLY_WAGE * factor * 0.6);
    const ceiling = Math.round(AVERAGE_MONTHLY_WAGE * factor * 3);
    // Many employers declare the minimum base whatever the wage; the others declare the wage, within the limits.
    const wage = person.annualIncome !== null ? person.annualIncome / 12 : rng.lognormal(AVERAGE_MONTHLY_WAGE * factor * 0.8, 0.5);
    const base2024 = rng.chance(0.35) ? floor : Math.min(ceiling, Math.max(floor, Math.round(wage)));
    const injuryRate = HIGH_RISK_SECTIONS.has(employer.industry.section) ? rng.range(0.008, 0.019) : rng.range(0.002, 0.006);

    // Months of contributions: tenure with this employer, since age 16 at the earliest; some left before December.
    const monthsSince16 = (person.age - 16) * 12 + 1;
    const tenure = Math.min(monthsSince16, 36, 1 + Math.floor(rng.lognormal(14, 0.8)));
    const last = rng.chance(0.85) ? LAST_MONTH : LAST_MONTH - rng.int(1, 24);

    for (let m = last - tenure + 1; m <= last && emitted < rows; m++) {
      const year = Math.floor(m / 12);
      const month = (m % 12) + 1;
      // Bases are reset every July (社保年度) and follow wages up about 5% a year.
      const socialYear = month >= 7 ? year : year - 1;
      const base = Math.round(base2024 / 1.05 ** (REFERENCE_YEAR - socialYear));
      const paid = !rng.chance(chronic ? 0.6 : 0.004);
      const period = `${year}-${PAD2[month]}`;
      for (let t = 0; t < TYPES.length && emitted < rows; t++) {
        const employerAmount = round2(base * (t === 3 ? injuryRate : (EMPLOYER_RATE[t] ?? 0)));
        const personalAmount = round2(base * (PERSONAL_RATE[t] ?? 0));
        emitted++;
        yield {
          person_id: person.id,
          employer_uscc: employer.uscc,
          period,
          insurance_type: TYPES[t] ?? '',
          contribution_base: base,
          employer_amount: employerAmount,
          personal_amount: personalAmount,
          paid,
          arrears_amount: paid ? 0 : round2(employerAmount + personalAmount),
          region_code: employer.county.code,
        };
      }
    }
  }
}

export const socialInsurance: DatasetModule = { definition, generate, linkedRowsNeeded };
