// Public catalog search: text (substring, Chinese included), filters, facets and a keyset cursor over a stable sort.
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { LISTED_COLUMNS, LISTED_CTE, toCatalogRow, type ListedSqlRow } from './catalog-row.ts';
import { decodeCursor, encodeCursor, type CatalogCursor } from './cursor.ts';
import { refreshStaleSearchText } from './search-text.ts';
import { DOWNLOAD_FORMATS, type CatalogFacets, type CatalogQuery, type CatalogSearchPage, type CatalogSort } from './types.ts';
import { toSummary } from './view.ts';

/** The JSON array of dataset codes with a download policy: the first parameter of LISTED_CTE. */
export function policiedCodes(policies: PolicySet): string {
  return JSON.stringify([...policies.datasets.keys()]);
}

/** Bound parameters in order; `$n` placeholders are handed out by `add`. */
class Params {
  readonly values: unknown[];
  constructor(first: unknown) {
    this.values = [first];
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The filter of a query, as a WHERE clause over `listed`. `q` is matched with position(), so % _ \ are plain text. */
function whereOf(query: CatalogQuery, params: Params): string[] {
  const where: string[] = [];
  const q = query.q?.trim().toLowerCase();
  if (q) where.push(`position(${params.add(q)} in search_text) > 0`);
  if (query.department) {
    const p = params.add(query.department);
    where.push(`(department_code = ${p} or department = ${p})`);
  }
  if (query.theme) where.push(`theme = ${params.add(query.theme)}`);
  if (query.openType) where.push(`open_type = ${params.add(query.openType)}`);
  if (query.grade) where.push(`grade = ${params.add(query.grade)}`);
  // every distribution offers all formats, so a format filter keeps the datasets that have distributions
  if (query.format) where.push('has_formats');
  return where;
}

/** Each sort: the key a cursor keeps, the order, and the keyset condition "after the cursor" (code breaks ties). */
const ORDER: Record<CatalogSort, { key: string; order: string; after: (cursor: CatalogCursor, params: Params) => string }> = {
  modified: {
    key: 'modified::text',
    order: 'modified desc, code asc',
    after: (cur, p) => {
      const k = p.add(cur.key);
      return `(modified < ${k}::timestamptz or (modified = ${k}::timestamptz and code > ${p.add(cur.code)}))`;
    },
  },
  name: { key: 'name', order: 'name asc, code asc', after: (cur, p) => `(name, code) > (${p.add(cur.key)}::text, ${p.add(cur.code)}::text)` },
  code: { key: 'code', order: 'code asc', after: (cur, p) => `code > ${p.add(cur.code)}` },
};

interface FacetSqlRow {
  department_code: string;
  department: string;
  theme: string;
  open_type: string;
  grade: string;
  has_formats: boolean;
  n: number;
}

/** Folds the counts per combination of facet values into one count list per facet (most frequent first). */
function facetsOf(rows: FacetSqlRow[]): { facets: CatalogFacets; total: number } {
  const department = new Map<string, { label: string; count: number }>();
  const tally = { theme: new Map<string, number>(), openType: new Map<string, number>(), grade: new Map<string, number>() };
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  let total = 0;
  let withFormats = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    if (r.has_formats) withFormats += n;
    const d = department.get(r.department_code);
    department.set(r.department_code, { label: d?.label ?? r.department, count: (d?.count ?? 0) + n });
    add(tally.theme, r.theme, n);
    add(tally.openType, r.open_type, n);
    add(tally.grade, r.grade, n);
  }
  const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
    b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const list = (m: Map<string, number>) => [...m].map(([value, count]) => ({ value, count })).sort(byCount);
  const facets: CatalogFacets = {
    department: [...department].map(([value, d]) => ({ value, label: d.label, count: d.count })).sort(byCount),
    theme: list(tally.theme),
    openType: list(tally.openType),
    // every distribution offers every format: each format counts the datasets with distributions
    format: withFormats === 0 ? [] : DOWNLOAD_FORMATS.map((value) => ({ value, count: withFormats })),
    grade: list(tally.grade),
  };
  return { facets, total };
}

/**
 * One page of the public catalog: unconditional and conditional datasets only. Facets and total count the whole
 * result of the query (all pages, filters applied). Throws BAD_REQUEST naming `cursor` for a cursor it did not issue.
 */
export async function searchCatalog(database: Database, policies: PolicySet, query: CatalogQuery, now: Date = new Date()): Promise<CatalogSearchPage> {
  const sort = query.sort ?? 'modified';
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort);
  await refreshStaleSearchText(database);

  const filterParams = new Params(policiedCodes(policies));
  const where = whereOf(query, filterParams);
  const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';

  const pageParams = new Params(policiedCodes(policies));
  const pageWhere = whereOf(query, pageParams);
  const order = ORDER[sort];
  if (cursor) pageWhere.push(order.after(cursor, pageParams));
  const limit = pageParams.add(query.limit + 1);

  // two steps: the sort and keyset over narrow rows, then the full columns of the page's rows only
  const [keys, facetRows] = await Promise.all([
    database.sql.query<{ code: string; sort_key: string }>(
      `with ${LISTED_CTE}
       select code, ${order.key} as sort_key from listed
       ${pageWhere.length > 0 ? `where ${pageWhere.join(' and ')}` : ''}
       order by ${order.order} limit ${limit}`,
      pageParams.values,
    ),
    database.sql.query<FacetSqlRow>(
      `with ${LISTED_CTE}
       select department_code, min(department) as department, theme, open_type, grade, has_formats, count(*)::int as n
         from listed ${whereSql}
        group by department_code, theme, open_type, grade, has_formats`,
      filterParams.values,
    ),
  ]);
  const pageKeys = keys.slice(0, query.limit);
  const rows =
    pageKeys.length === 0
      ? []
      : await database.sql.query<ListedSqlRow>(
          `with ${LISTED_CTE} select ${LISTED_COLUMNS} from listed where code in (select jsonb_array_elements_text($2::jsonb))`,
          [policiedCodes(policies), JSON.stringify(pageKeys.map((k) => k.code))],
        );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const page = pageKeys.map((k) => byCode.get(k.code)).filter((r): r is ListedSqlRow => r !== undefined);
  const last = pageKeys.at(-1);
  const nextCursor = keys.length > query.limit && last ? encodeCursor({ sort, key: last.sort_key, code: last.code }) : null;
  const { facets, total } = facetsOf(facetRows);
  return { items: page.map((r) => toSummary(toCatalogRow(r), now)), facets, nextCursor, total };
}
