// package_search over the listed catalog rows: the q/fq query, sort, start/rows paging and facets in CKAN's two shapes.
// Pure: the rows come from listed-entries.ts, already narrowed by the plain-text terms every match must contain.
import type { CatalogRow } from '../catalog/catalog-row.ts';
import { DOWNLOAD_FORMATS } from '../catalog/types.ts';
import { groupName, organizationName } from './ckan-package.ts';
import type { FacetField, PackageSearchParams, SortKey } from './ckan-params.ts';
import { evaluate, TEXT_FIELD, type QueryTarget } from './ckan-query.ts';
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

/** The values a row holds for a query or facet field, each with its display name. */
function valuesOf(row: CatalogRow, field: string): { name: string; display: string }[] {
  switch (field) {
    case 'organization':
    case 'owner_org':
      return [{ name: organizationName(row.departmentCode), display: row.department }];
    case 'groups':
      // a theme is a group: its name, and for people typing a query, its title too
      return [{ name: groupName(row.theme), display: row.theme }];
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
    case 'metadata_modified':
      return [{ name: row.modified.toISOString(), display: '' }];
    case 'metadata_created':
      return [{ name: row.issued.toISOString(), display: '' }];
    default:
      return [];
  }
}

/** The row as the query evaluator sees it. */
function targetOf(row: CatalogRow): QueryTarget {
  return {
    values: (field) => (field === 'groups' ? [groupName(row.theme), row.theme] : valuesOf(row, field).map((v) => v.name)),
    text: (field) => {
      if (field === TEXT_FIELD) return row.searchText ?? `${row.name}\n${row.code}\n${row.summary}\n${row.description}\n${row.keywords.join(' ')}`.toLowerCase();
      if (field === 'title') return row.name.toLowerCase();
      if (field === 'notes') return `${row.description}\n${row.summary}`.toLowerCase();
      return null;
    },
    instant: (field) => (field === 'metadata_created' ? row.issued : row.modified).getTime(),
  };
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
  const hits = rows.filter((row) => evaluate(params.query, targetOf(row)));
  hits.sort(compare(params.sort));
  const facets: CkanSearchOutcome['facets'] = {};
  const search_facets: CkanSearchOutcome['search_facets'] = {};
  for (const field of params.facetFields) {
    const items = facet(hits, field, params.facetLimit);
    facets[field] = Object.fromEntries(items.map((i) => [i.name, i.count]));
    search_facets[field] = { title: field, items };
  }
  return { count: hits.length, page: hits.slice(params.start, params.start + params.rows), facets, search_facets };
}
