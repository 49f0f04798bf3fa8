// package_search over the listed catalog rows: fq filters, sort, start/rows paging and facets in CKAN's two shapes.
// Pure: the rows come from listed-entries.ts, already narrowed by the text terms of `q`.
import type { CatalogRow } from '../catalog/catalog-row.ts';
import { DOWNLOAD_FORMATS } from '../catalog/types.ts';
import { organizationName } from './ckan-package.ts';
import type { FacetField, FqClause, PackageSearchParams, SortKey } from './ckan-params.ts';
import { FORMATS } from './vocabularies.ts';

export interface FacetItem {
  name: string;
  display_name: string;
  count: number;
}

export interface CkanSearchOutcome {
  count: number;
  page: CatalogRow[];
  facets: Record<string, Record<string, number>>;
  search_facets: Record<string, { title: string; items: FacetItem[] }>;
}

const formatsOf = (row: CatalogRow) => (row.hasFormats ? DOWNLOAD_FORMATS.map((f) => FORMATS[f].label) : []);

/** The values a row holds for an fq or facet field, each with its display name. */
function valuesOf(row: CatalogRow, field: string): { name: string; display: string }[] {
  switch (field) {
    case 'organization':
    case 'owner_org':
      return [{ name: organizationName(row.departmentCode), display: row.department }];
    case 'tags':
      return row.keywords.map((k) => ({ name: k, display: k }));
    case 'res_format':
      return formatsOf(row).map((f) => ({ name: f, display: f }));
    case 'license_id':
      return [{ name: row.license, display: row.license }];
    case 'name':
    case 'id':
      return [{ name: row.code, display: row.code }];
    case 'dataset_type':
      return [{ name: 'dataset', display: 'dataset' }];
    case 'capacity':
      return [{ name: 'public', display: 'public' }];
    case 'state':
      return [{ name: 'active', display: 'active' }];
    default:
      return [];
  }
}

function matches(row: CatalogRow, clause: FqClause): boolean {
  const v = clause.value;
  if (v.kind === 'range') {
    const t = (clause.field === 'metadata_created' ? row.issued : row.modified).getTime();
    const above = v.from === null || (v.fromInclusive ? t >= v.from : t > v.from);
    const below = v.to === null || (v.toInclusive ? t <= v.to : t < v.to);
    return above && below;
  }
  if (clause.field === 'metadata_modified' || clause.field === 'metadata_created') {
    const t = (clause.field === 'metadata_created' ? row.issued : row.modified).toISOString();
    return v.value === '*' || t.startsWith(v.value.replace(/Z$/, ''));
  }
  const values = valuesOf(row, clause.field);
  if (v.value === '*') return values.length > 0;
  // res_format and organization names are matched without regard to case (a department code may arrive upper-case)
  const caseless = clause.field === 'res_format' || clause.field === 'organization' || clause.field === 'owner_org';
  return values.some((x) => (caseless ? x.name.toLowerCase() === v.value.toLowerCase() : x.name === v.value));
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function compare(sort: readonly SortKey[]) {
  return (a: CatalogRow, b: CatalogRow) => {
    for (const key of sort) {
      let d = 0;
      if (key.field === 'metadata_modified') d = cmp(a.modified.getTime(), b.modified.getTime());
      else if (key.field === 'metadata_created') d = cmp(a.issued.getTime(), b.issued.getTime());
      else if (key.field === 'name' || key.field === 'id') d = cmp(a.code, b.code);
      else if (key.field === 'title' || key.field === 'title_string') d = cmp(a.name, b.name);
      // score: every match scores alike (no relevance ranking), so it orders nothing
      if (d !== 0) return key.desc ? -d : d;
    }
    // the code last: the order is total, so start/rows paging never repeats or skips a package
    return cmp(a.code, b.code);
  };
}

function facet(rows: readonly CatalogRow[], field: FacetField, limit: number): FacetItem[] {
  const counts = new Map<string, FacetItem>();
  for (const row of rows) {
    for (const { name, display } of new Map(valuesOf(row, field).map((v) => [v.name, v])).values()) {
      const item = counts.get(name) ?? { name, display_name: display, count: 0 };
      item.count += 1;
      counts.set(name, item);
    }
  }
  const items = [...counts.values()].sort((a, b) => b.count - a.count || cmp(a.name, b.name));
  return limit < 0 ? items : items.slice(0, limit);
}

export function searchRows(rows: readonly CatalogRow[], params: PackageSearchParams): CkanSearchOutcome {
  const hits = rows.filter((row) => params.fq.every((clause) => matches(row, clause) !== clause.negate));
  hits.sort(compare(params.sort));
  const facets: CkanSearchOutcome['facets'] = {};
  const search_facets: CkanSearchOutcome['search_facets'] = {};
  for (const field of params.facetFields) {
    const items = field === 'groups' ? [] : facet(hits, field, params.facetLimit);
    facets[field] = Object.fromEntries(items.map((i) => [i.name, i.count]));
    search_facets[field] = { title: field, items };
  }
  return { count: hits.length, page: hits.slice(params.start, params.start + params.rows), facets, search_facets };
}
