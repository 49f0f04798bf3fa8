// 信用: court-published dishonest judgement debtors (失信被执行人) among the legal_persons entities of the same seed.
//
// Walks legal_persons in index order (LegalPersonModel.entity(0), (1), ...): an entity becomes a dishonest debtor
// with a probability that depends on its status (revoked firms far more often), and then has one or more execution
// cases. The first n entities' records only refer to legal_persons rows below n: see `linkedRowsNeeded`.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import { civilFromDays, daysFromCivil, formatDay } from '../calendar.ts';
import { composeUscc } from '../checksums/uscc.ts';
import { cityOfCounty, provinceOfCounty, type County } from '../divisions.ts';
import { deriveSeedKey, Random, WeightedTable } from '../random.ts';
import { checkOptions, REFERENCE_YEAR, round2, type DatasetModule, type GenerateOptions } from './dataset.ts';
import { LegalPersonModel, type EntityStatus, type LegalEntity } from './legal-persons.ts';

export const definition: DatasetDefinition = {
  code: 'credit_dishonest',
  name: '失信被执行人信息',
  description:
    '人民法院公布的失信被执行人（法人及其他组织）名单信息，经公共信用信息平台归集。 / Legal entities published by the courts as dishonest judgement debtors, as collected by the public credit information platform.',
  department: '省发展和改革委员会',
  departmentCode: composeUscc('11', '330000', '00248064'),
  sourceSystem: '公共信用信息共享平台（归集自人民法院失信被执行人名单）',
  updateCycle: 'daily',
  grade: 'general',
  openType: 'unconditional',
  fields: [
    { name: 'record_id', type: 'string', nullable: false, sensitivity: 'none', description: '记录编号 / Record number' },
    { name: 'uscc', type: 'string', nullable: false, sensitivity: 'none', description: '被执行人统一社会信用代码 / USCC of the debtor' },
    { name: 'entity_name', type: 'string', nullable: false, sensitivity: 'none', description: '被执行人名称 / Name of the debtor' },
    { name: 'case_number', type: 'string', nullable: false, sensitivity: 'none', description: '执行案号 / Enforcement case number' },
    { name: 'court', type: 'string', nullable: false, sensitivity: 'none', description: '执行法院 / Enforcing court' },
    { name: 'obligation', type: 'string', nullable: false, sensitivity: 'none', description: '生效法律文书确定的义务 / Obligation set by the effective judgement' },
    { name: 'performance_status', type: 'string', nullable: false, sensitivity: 'none', description: '履行情况（全部未履行/部分履行） / Performance (none / partial)' },
    { name: 'published_date', type: 'date', nullable: false, sensitivity: 'none', description: '发布时间 / Date published' },
    { name: 'region_code', type: 'string', nullable: false, sensitivity: 'none', description: '执行法院所在县级区划代码 / County of the enforcing court' },
    { name: 'amount', type: 'decimal', nullable: true, sensitivity: 'none', description: '执行标的金额（元，非金钱义务为空） / Amount owed, yuan (empty for non-monetary obligations)' },
  ],
};

/** Probability that an entity of a given status is on the dishonest-debtor list. */
const DISHONEST_SHARE: Readonly<Record<EntityStatus, number>> = { 存续: 0.025, 在业: 0.02, 吊销: 0.2, 注销: 0.01, 迁出: 0.03 };
const MAX_DISHONEST_SHARE = Math.max(...Object.values(DISHONEST_SHARE));
/** Entity types that courts list here (public institutions and social organisations are rare on the list). */
const LISTED_TYPES = new Set(['有限责任公司', '股份有限公司', '个人独资企业', '农民专业合作社']);

const MONETARY: readonly ((amount: string) => string)[] = [
  (a) => `支付货款${a}元及逾期付款利息`,
  (a) => `偿还借款本金${a}元及利息`,
  (a) => `支付工程款${a}元及利息`,
  (a) => `支付拖欠的劳动报酬${a}元`,
  (a) => `赔偿经济损失${a}元`,
  (a) => `支付租金${a}元及违约金`,
  (a) => `支付服务费${a}元，并承担案件受理费`,
];
const NON_MONETARY = ['交付房屋并办理产权过户登记手续', '停止侵权并在报纸上刊登致歉声明', '返还租赁设备', '恢复原状并排除妨碍'];
const PERFORMANCE = new WeightedTable([['全部未履行', 85], ['部分履行', 15]] as const);

const REFERENCE_DAY = daysFromCivil(REFERENCE_YEAR, 12, 31);

/** Court that enforces against an entity of `county`: usually the basic court, sometimes the intermediate court. */
function court(rng: Random, county: County): { name: string; code: string } {
  const province = provinceOfCounty(county.code);
  const city = cityOfCounty(county.code);
  const short = province?.shortName ?? '';
  if (city?.kind === 'prefecture' && rng.chance(0.15)) {
    return { name: `${city.name}中级人民法院`, code: short + county.code.slice(2, 4) };
  }
  // Basic courts carry the city's name for districts (深圳市南山区人民法院, 北京市朝阳区人民法院) and only their own
  // name for counties and county-level cities (景县人民法院, 辉县市人民法院).
  let name: string;
  if (city?.kind === 'municipal') name = (province?.name ?? '') + county.name;
  else if (city?.kind === 'prefecture' && county.name.endsWith('区')) name = city.name + county.name;
  else name = county.name;
  // 法院代字: province abbreviation + the last four digits of the division code, e.g. 京0105.
  return { name: `${name}人民法院`, code: short + county.code.slice(2, 6) };
}

interface LinkCursor {
  entityIndex: number;
}

export function generate(options: GenerateOptions): Generator<Row, void, undefined> {
  return walk(checkOptions(options), { entityIndex: -1 });
}

/** Rows of legal_persons (same seed) that contain every entity referenced by the first `rows` records. */
export function linkedRowsNeeded(options: GenerateOptions): { legal_persons: number } {
  const cursor: LinkCursor = { entityIndex: -1 };
  for (const _row of walk(checkOptions(options), cursor));
  return { legal_persons: cursor.entityIndex + 1 };
}

function* walk({ rows, seed }: { rows: number; seed: string }, cursor: LinkCursor): Generator<Row, void, undefined> {
  const entities = new LegalPersonModel(seed);
  const key = deriveSeedKey(seed, 'credit_dishonest/entity');
  const rng = new Random();
  const ymd: [number, number, number] = [0, 0, 0];
  let emitted = 0;
  for (let j = 0; emitted < rows; j++) {
    rng.reseed(key, j);
    // One uniform draw decides the listing: most entities are ruled out before even their core attributes are
    // made (u above the largest share), the rest against their status's share; only listed ones are made in full.
    const u = rng.float();
    if (u >= MAX_DISHONEST_SHARE) continue;
    const core = entities.core(j);
    if (!LISTED_TYPES.has(core.entityType) || u >= DISHONEST_SHARE[core.status]) continue;
    const entity: LegalEntity = entities.entity(j);
    cursor.entityIndex = j;
    const established = civilFromDays(entity.establishedDay, ymd)[0];
    const cases = 1 + Math.min(5, Math.floor(Math.log(1 - rng.float()) / Math.log(0.4))); // geometric, mostly one
    for (let k = 0; k < cases && emitted < rows; k++) {
      const year = rng.int(Math.min(REFERENCE_YEAR, Math.max(2015, established + 1)), REFERENCE_YEAR);
      const filed = Math.min(REFERENCE_DAY, daysFromCivil(year, 1, 1) + rng.int(0, 364));
      // Courts list a debtor some weeks to a year after enforcement starts; never after the reference day.
      const published = Math.min(REFERENCE_DAY, filed + rng.int(30, 400));
      const c = court(rng, entity.county);
      const serial = 1 + Math.floor(rng.lognormal(900, 1.1));
      const kind = rng.chance(0.12) ? '执恢' : '执';
      let obligation: string;
      let amount: number | null;
      if (rng.chance(0.08)) {
        obligation = rng.pick(NON_MONETARY);
        amount = null;
      } else {
        amount = round2(Math.max(1000, rng.lognormal(200_000, 1.5)));
        obligation = rng.pick(MONETARY)(amount.toFixed(2));
      }
      emitted++;
      yield {
        record_id: `SX${String(emitted - 1).padStart(10, '0')}`,
        uscc: entity.uscc,
        entity_name: entity.name,
        case_number: `（${year}）${c.code}${kind}${serial}号`,
        court: c.name,
        obligation: `被执行人应${obligation}`,
        performance_status: rng.weighted(PERFORMANCE),
        published_date: formatDay(published),
        region_code: entity.county.code,
        amount,
      };
    }
  }
}

export const creditDishonest: DatasetModule = { definition, generate, linkedRowsNeeded };
