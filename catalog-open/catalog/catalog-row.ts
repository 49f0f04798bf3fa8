// One row of the public catalog: a listed registry dataset (unconditional or conditional), its catalog entry if it has
// one, and its current version. The SQL here is shared by search, the entry page and the department summary.
import type { FieldDefinition, Grade, UpdateCycle } from '../../store/index.ts';
import type { ResourceClassification } from '../schema.ts';
import type { PublicOpenType, ShareType } from './types.ts';

/** Theme shown for a dataset without a catalog entry. */
export const DEFAULT_THEME = '其他';

/**
 * `listed` is a CTE over every dataset the public catalog shows. Its first parameter is the JSON array of dataset codes
 * that have a download policy (without one, downloads refuse the dataset, so it offers no distributions).
 * A dataset without a catalog entry is listed with defaults: the registry description as summary, theme 其他, a
 * resource code made of department code and dataset code, and a search text built from the registry alone.
 */
export const LISTED_CTE = `listed as (
  select d.code, d.name, d.description, d.department, d.department_code, d.update_cycle, d.grade, d.open_type, d.fields,
         ce.dataset_code is not null as described,
         coalesce(ce.resource_code, d.department_code || '/' || d.code) as resource_code,
         coalesce(ce.summary, d.description) as summary,
         coalesce(ce.theme, '${DEFAULT_THEME}') as theme,
         coalesce(ce.keywords, '[]'::jsonb) as keywords,
         ce.classification, ce.open_conditions, coalesce(ce.share_type, 'conditional') as share_type,
         coalesce(ce.license, 'CC-BY-4.0') as license,
         ce.next_update_due::text as next_update_due, ce.temporal_start::text as temporal_start,
         ce.temporal_end::text as temporal_end, ce.spatial,
         (extract(epoch from coalesce(ce.issued, d.created_at)) * 1000)::float8 as issued_ms,
         greatest(ce.modified, d.updated_at, v.loaded_at) as modified,
         coalesce(ce.search_text, lower(d.name || chr(10) || d.code || chr(10) || d.description || chr(10) || d.department
           || chr(10) || coalesce((select string_agg((f->>'name') || ' ' || (f->>'description'), chr(10))
                                     from jsonb_array_elements(d.fields) f), ''))) as search_text,
         v.version, v.row_count::float8 as row_count, v.byte_count::float8 as byte_count, v.checksum, v.format as load_format,
         (extract(epoch from v.loaded_at) * 1000)::float8 as loaded_ms,
         (v.version is not null and d.code in (select jsonb_array_elements_text($1::jsonb))) as has_formats
    from datasets d
    left join catalog_entries ce on ce.dataset_code = d.code
    left join dataset_versions v on v.dataset_code = d.code and v.version = d.current_version
   where d.open_type in ('unconditional', 'conditional')
)`;

/** The columns selected from `listed` (everything but search_text), with the sort key of `modified` printed exactly. */
export const LISTED_COLUMNS = `code, name, description, department, department_code, update_cycle, grade, open_type, fields,
  described, resource_code, summary, theme, keywords, classification, open_conditions, share_type, license,
  next_update_due, temporal_start, temporal_end, spatial, issued_ms, modified::text as modified_key,
  (extract(epoch from modified) * 1000)::float8 as modified_ms, version, row_count, byte_count, checksum, load_format,
  loaded_ms, has_formats`;

export interface ListedSqlRow {
  code: string;
  name: string;
  description: string;
  department: string;
  department_code: string;
  update_cycle: string;
  grade: string;
  open_type: string;
  fields: FieldDefinition[];
  described: boolean;
  resource_code: string;
  summary: string;
  theme: string;
  keywords: string[];
  classification: ResourceClassification | null;
  open_conditions: string | null;
  share_type: string;
  license: string;
  next_update_due: string | null;
  temporal_start: string | null;
  temporal_end: string | null;
  spatial: string | null;
  issued_ms: number;
  modified_key: string;
  modified_ms: number;
  version: number | null;
  row_count: number | null;
  byte_count: number | null;
  checksum: string | null;
  load_format: string | null;
  loaded_ms: number | null;
  has_formats: boolean;
  /** selected only where text is matched in TypeScript (the CKAN query) */
  search_text?: string;
}

/** A listed dataset in TypeScript terms: what quality scores and views are computed from. */
export interface CatalogRow {
  code: string;
  name: string;
  description: string;
  department: string;
  departmentCode: string;
  updateCycle: UpdateCycle;
  grade: Grade;
  openType: PublicOpenType;
  fields: FieldDefinition[];
  described: boolean;
  resourceCode: string;
  summary: string;
  theme: string;
  keywords: string[];
  classification: ResourceClassification | null;
  openConditions: string | null;
  shareType: ShareType;
  license: string;
  nextUpdateDue: string | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatial: string | null;
  issued: Date;
  modified: Date;
  modifiedKey: string;
  current: { version: number; rowCount: number; byteCount: number; checksum: string; format: string; loadedAt: Date } | null;
  /** a current version exists and a download policy covers the dataset */
  hasFormats: boolean;
  /** the lower-cased text `q` matches (see search-text.ts), when selected */
  searchText?: string;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function toCatalogRow(r: ListedSqlRow): CatalogRow {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    department: r.department,
    departmentCode: r.department_code,
    updateCycle: r.update_cycle as UpdateCycle,
    grade: r.grade as Grade,
    openType: r.open_type as PublicOpenType,
    fields: r.fields,
    described: r.described,
    resourceCode: r.resource_code,
    summary: r.summary,
    theme: r.theme,
    keywords: r.keywords,
    classification: r.classification,
    openConditions: r.open_conditions,
    shareType: r.share_type as ShareType,
    license: r.license,
    nextUpdateDue: r.next_update_due,
    temporalStart: r.temporal_start,
    temporalEnd: r.temporal_end,
    spatial: r.spatial,
    issued: new Date(num(r.issued_ms)),
    modified: new Date(num(r.modified_ms)),
    modifiedKey: r.modified_key,
    current:
      r.version === null || r.version === undefined
        ? null
        : {
            version: num(r.version),
            rowCount: num(r.row_count),
            byteCount: num(r.byte_count),
            checksum: r.checksum ?? '',
            format: r.load_format ?? '',
            loadedAt: new Date(num(r.loaded_ms)),
          },
    hasFormats: r.has_formats,
    ...(r.search_text === undefined ? {} : { searchText: r.search_text }),
  };
}
