// Controlled vocabularies the interop mappings point to: EU authority tables (access rights, frequency, file type,
// data theme), IANA media types and licence URIs. Wire format: harvesters match these exact IRIs.
import type { OpenType, UpdateCycle } from '../../store/index.ts';
import type { DownloadFormat } from '../catalog/types.ts';

const EU = 'http://publications.europa.eu/resource/authority';

/** 开放属性 → dct:accessRights: 无条件 PUBLIC, 有条件 RESTRICTED, 不予开放 NON_PUBLIC. */
export const ACCESS_RIGHTS: Record<OpenType, string> = {
  unconditional: `${EU}/access-right/PUBLIC`,
  conditional: `${EU}/access-right/RESTRICTED`,
  not_open: `${EU}/access-right/NON_PUBLIC`,
};

/** 更新周期 → dct:accrualPeriodicity; realtime data is "continuously updated". */
export const FREQUENCIES: Record<UpdateCycle, string> = {
  realtime: `${EU}/frequency/UPDATE_CONT`,
  daily: `${EU}/frequency/DAILY`,
  weekly: `${EU}/frequency/WEEKLY`,
  monthly: `${EU}/frequency/MONTHLY`,
  quarterly: `${EU}/frequency/QUARTERLY`,
  yearly: `${EU}/frequency/ANNUAL`,
  irregular: `${EU}/frequency/IRREG`,
};

/**
 * Download format → EU file type and IANA media type. NDJSON has neither an EU file-type entry nor an IANA
 * registration, so it gets a labelled format node and its de-facto media type stays out of dcat:mediaType.
 */
export const FORMATS: Record<DownloadFormat, { label: string; fileType: string | null; ianaMediaType: string | null }> = {
  csv: { label: 'CSV', fileType: `${EU}/file-type/CSV`, ianaMediaType: 'text/csv' },
  json: { label: 'JSON', fileType: `${EU}/file-type/JSON`, ianaMediaType: 'application/json' },
  xlsx: {
    label: 'XLSX',
    fileType: `${EU}/file-type/XLSX`,
    ianaMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  ndjson: { label: 'NDJSON', fileType: null, ianaMediaType: null },
};

export const ianaMediaTypeIri = (mediaType: string) => `https://www.iana.org/assignments/media-types/${mediaType}`;

/** 数据领域 (Chinese theme names) → EU data theme, matched by the first keyword the theme contains. */
const DATA_THEMES: [RegExp, string][] = [
  [/社会保障|社保|就业|民政|人口|住房/, 'SOCI'],
  [/卫生|健康|医疗|医药/, 'HEAL'],
  [/教育|文化|体育|旅游/, 'EDUC'],
  [/经济|市场|企业|信用|金融|财税|商贸|工业/, 'ECON'],
  [/环境|生态|气象|资源/, 'ENVI'],
  [/交通|运输/, 'TRAN'],
  [/农业|林业|渔业|农村/, 'AGRI'],
  [/能源/, 'ENER'],
  [/科技|科学/, 'TECH'],
  [/公安|司法|安全|应急/, 'JUST'],
  [/城建|城市|区划|地理|规划/, 'REGI'],
  [/机构|政务|政府|财政/, 'GOVE'],
];

/** The EU data theme IRI for a Chinese theme name, or null when none fits. */
export function euDataTheme(theme: string): string | null {
  const hit = DATA_THEMES.find(([pattern]) => pattern.test(theme));
  return hit ? `${EU}/data-theme/${hit[1]}` : null;
}

/** Licence identifiers (SPDX style) → their canonical URIs; anything else is a local licence document. */
const LICENSES: Record<string, { url: string; title: string }> = {
  'CC-BY-4.0': { url: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' },
  'CC-BY-SA-4.0': { url: 'https://creativecommons.org/licenses/by-sa/4.0/', title: 'Creative Commons Attribution Share-Alike 4.0' },
  'CC0-1.0': { url: 'https://creativecommons.org/publicdomain/zero/1.0/', title: 'Creative Commons CCZero' },
  'ODC-BY-1.0': { url: 'https://opendatacommons.org/licenses/by/1-0/', title: 'Open Data Commons Attribution License' },
  'ODbL-1.0': { url: 'https://opendatacommons.org/licenses/odbl/1-0/', title: 'Open Data Commons Open Database License' },
  'PDDL-1.0': { url: 'https://opendatacommons.org/licenses/pddl/1-0/', title: 'Open Data Commons Public Domain Dedication and License' },
};

/** A licence URI: the canonical one when known, else a page of the portal (never a bare string: DCAT wants an IRI). */
export function licenseUri(license: string, base: string): string {
  return LICENSES[license]?.url ?? `${base}/open/licenses/${encodeURIComponent(license)}`;
}

export function licenseTitle(license: string): string {
  return LICENSES[license]?.title ?? license;
}
