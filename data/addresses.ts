// Street-level address text: road, house number and flat for urban 街道, village groups or town roads elsewhere.

import type { Random } from './random.ts';

const ROAD_BASES = [
  '人民', '中山', '建设', '解放', '和平', '新华', '胜利', '友谊', '朝阳', '文化', '光明', '幸福', '青年', '健康', '工农', '滨江',
  '长江', '黄河', '学府', '迎宾', '花园', '公园', '东风', '红旗', '团结', '复兴', '振兴', '民主', '府前', '车站', '环城', '北京',
  '上海', '南京', '延安', '东方', '世纪', '科技', '创业', '翠微', '桃源', '金沙', '湖滨', '育才', '体育', '园林', '凤凰', '锦绣',
  '龙江', '云海', '银河', '沿河', '新民', '兴业', '商贸', '建国', '前进', '劳动', '长安', '太平',
];
const ROAD_SUFFIXES = ['路', '路', '路', '路', '街', '大道', '东路', '西路', '南路', '北路', '中路', '大街'];
const ESTATES = ['阳光花园', '幸福小区', '锦绣家园', '金色家园', '碧水湾', '翠苑', '华府', '世纪城', '新村', '明珠苑', '丽景园', '香榭里', '御景湾', '书香苑'];
const VILLAGE_FIRST = [...'东西南北上下前后大小新老高李王张刘陈杨黄赵周吴马'];
const VILLAGE_SECOND = [...'家庄河山湾岭坪沟桥塘坝岗营店寨屯堡园'];

export function randomRoad(rng: Random): string {
  return rng.pick(ROAD_BASES) + rng.pick(ROAD_SUFFIXES);
}

/** House number skewed towards small numbers, as most roads are short. */
export function randomHouseNumber(rng: Random): number {
  return 1 + Math.floor(rng.float() * rng.float() * 600);
}

/**
 * The part of an address after the street (乡级) name. `urban` (a 街道) gets road + number + building/unit/flat;
 * otherwise a village group (村/组) or a road in the town seat.
 */
export function randomAddressDetail(rng: Random, urban: boolean): string {
  if (urban) {
    const estate = rng.chance(0.5) ? rng.pick(ESTATES) : '';
    const floor = rng.int(1, 28);
    return `${randomRoad(rng)}${randomHouseNumber(rng)}号${estate}${rng.int(1, 30)}栋${rng.int(1, 6)}单元${floor}0${rng.int(1, 4)}室`;
  }
  if (rng.chance(0.55)) {
    return `${rng.pick(VILLAGE_FIRST)}${rng.pick(VILLAGE_SECOND)}村${rng.int(1, 12)}组${rng.int(1, 80)}号`;
  }
  return `${randomRoad(rng)}${randomHouseNumber(rng)}号`;
}

/** Business address detail: road + number, often a building and room. */
export function randomBusinessAddressDetail(rng: Random): string {
  const base = `${randomRoad(rng)}${randomHouseNumber(rng)}号`;
  const r = rng.float();
  if (r < 0.35) return base;
  if (r < 0.75) return `${base}${rng.int(1, 20)}栋${rng.int(1, 25)}0${rng.int(1, 9)}室`;
  return `${base}${rng.pick(['A', 'B', 'C', 'D'])}座${rng.int(1, 30)}${String(rng.int(1, 20)).padStart(2, '0')}室`;
}
