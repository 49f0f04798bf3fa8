// The CKAN Action API v3 subset over the public catalog: status_show, help_show, package_list, package_show,
// package_search, organization_list/show, group_list/show (themes), tag_list. Public data only (unconditional and
// conditional), so no authorization step.
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import type { CatalogRow } from '../catalog/catalog-row.ts';
import { ckanNotFound, ckanUnknownAction, ckanValidationError } from './ckan-errors.ts';
import { CKAN_HELP, type CkanAction } from './ckan-help.ts';
import { groupName, organizationName, toCkanGroup, toCkanOrganization, toCkanPackage, type CkanGroup, type CkanOrganization } from './ckan-package.ts';
import { bool, naturalNumber, parsePackageSearch, text, type Params } from './ckan-params.ts';
import { searchRows } from './ckan-search.ts';
import { entriesOf, listedRows } from './listed-entries.ts';

export { CKAN_ACTIONS } from './ckan-help.ts';
export type { CkanAction } from './ckan-help.ts';

export interface CkanSite {
  /** absolute origin of the portal (config.publicUrl) */
  base: string;
  title: string;
  description: string;
}

export interface CkanContext {
  database: Database;
  policies: PolicySet;
  site: CkanSite;
  now?: Date;
}

/** The CKAN release whose Action API this subset follows (harvesters read it to pick a protocol). */
export const CKAN_API_LEVEL = '2.10.0';

function statusShow(ctx: CkanContext) {
  return {
    site_title: ctx.site.title,
    site_description: ctx.site.description,
    site_url: ctx.site.base,
    ckan_version: CKAN_API_LEVEL,
    error_emails_to: null,
    locale_default: 'zh_Hans_CN',
    extensions: [],
  };
}

async function packageList(ctx: CkanContext, params: Params) {
  const rows = await listedRows(ctx.database, ctx.policies);
  const offset = naturalNumber(params, 'offset') ?? 0;
  const limit = naturalNumber(params, 'limit');
  const names = rows.map((r) => r.code);
  return names.slice(offset, limit === undefined ? undefined : offset + limit);
}

function required(params: Params, name: string): string {
  const value = text(params, name).trim();
  if (value === '') throw ckanValidationError(name, 'Missing value');
  return value;
}

async function packageShow(ctx: CkanContext, params: Params) {
  const id = required(params, 'id');
  // name and id are both the dataset code; a resource code (资源代码) is accepted too, as harvesters may hold it
  const rows = await listedRows(ctx.database, ctx.policies, { id });
  const row = rows.find((r) => r.code === id) ?? rows[0];
  if (!row) throw ckanNotFound('Dataset');
  const [entry] = await entriesOf(ctx.database, ctx.policies, [row], ctx.now);
  return toCkanPackage(entry!, ctx.site.base);
}

async function packageSearch(ctx: CkanContext, params: Params) {
  const query = parsePackageSearch(params, ctx.now);
  const outcome = searchRows(await listedRows(ctx.database, ctx.policies, { terms: query.terms }), query);
  const entries = await entriesOf(ctx.database, ctx.policies, outcome.page, ctx.now);
  return {
    count: outcome.count,
    sort: query.sortText,
    facets: outcome.facets,
    search_facets: outcome.search_facets,
    results: entries.map((e) => toCkanPackage(e, ctx.site.base)),
  };
}

/** Rows grouped by a key: how many, and the earliest issue date (CKAN's `created`). */
function groupRows<K>(rows: readonly CatalogRow[], keyOf: (row: CatalogRow) => string, make: (row: CatalogRow, packageCount: number, created: string) => K): K[] {
  const byKey = new Map<string, { row: CatalogRow; count: number; created: string }>();
  for (const row of rows) {
    const key = keyOf(row);
    const issued = row.issued.toISOString();
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { row, count: 1, created: issued });
    else {
      seen.count += 1;
      if (issued < seen.created) seen.created = issued;
    }
  }
  return [...byKey.values()].map((g) => make(g.row, g.count, g.created));
}

const organizationsOf = (rows: readonly CatalogRow[]): CkanOrganization[] =>
  groupRows(rows, (r) => r.departmentCode, (r, packageCount, created) => toCkanOrganization({ department: r.department, departmentCode: r.departmentCode, packageCount, created }));
const groupsOf = (rows: readonly CatalogRow[]): CkanGroup[] => groupRows(rows, (r) => r.theme, (r, packageCount, created) => toCkanGroup({ theme: r.theme, packageCount, created }));

const LIST_SORTS = ['name', 'title', 'package_count'] as const;

/** organization_list and group_list: sorted, paged, names or whole dicts. */
function listOf<T extends CkanOrganization | CkanGroup>(items: T[], params: Params): (T | string)[] {
  const [field = 'title', dir = 'asc', ...rest] = (text(params, 'sort').trim() || 'title asc').split(/\s+/);
  if (!(LIST_SORTS as readonly string[]).includes(field) || !['asc', 'desc'].includes(dir) || rest.length > 0) {
    throw ckanValidationError('sort', 'sort is "name", "title" or "package_count", then asc or desc');
  }
  const key = field as (typeof LIST_SORTS)[number];
  items.sort((a, b) => {
    const d = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
    return (dir === 'desc' ? -d : d) || (a.name < b.name ? -1 : 1);
  });
  const offset = naturalNumber(params, 'offset') ?? 0;
  const limit = naturalNumber(params, 'limit') ?? 1000;
  const page = items.slice(offset, offset + limit);
  return bool(params, 'all_fields') ? page : page.map((o) => o.name);
}

async function organizationList(ctx: CkanContext, params: Params) {
  return listOf(organizationsOf(await listedRows(ctx.database, ctx.policies)), params);
}

async function groupList(ctx: CkanContext, params: Params) {
  return listOf(groupsOf(await listedRows(ctx.database, ctx.policies)), params);
}

async function groupShow(ctx: CkanContext, params: Params) {
  const id = required(params, 'id');
  const rows = await listedRows(ctx.database, ctx.policies);
  const mine = rows.filter((r) => groupName(r.theme) === id || r.theme === id);
  const group = groupsOf(mine)[0];
  if (!group) throw ckanNotFound('Group');
  if (!bool(params, 'include_datasets')) return group;
  const entries = await entriesOf(ctx.database, ctx.policies, mine.slice(0, 1000), ctx.now);
  return { ...group, packages: entries.map((e) => toCkanPackage(e, ctx.site.base)) };
}

/** Keywords of listed datasets; `query` keeps those containing it (case-insensitive). */
async function tagList(ctx: CkanContext, params: Params) {
  const query = text(params, 'query').trim().toLowerCase();
  const tags = [...new Set((await listedRows(ctx.database, ctx.policies)).flatMap((r) => r.keywords))]
    .filter((t) => query === '' || t.toLowerCase().includes(query))
    .sort();
  return bool(params, 'all_fields') ? tags.map((name) => ({ id: name, name, display_name: name, vocabulary_id: null, state: 'active' })) : tags;
}

function helpShow(params: Params) {
  const name = required(params, 'name');
  const help = CKAN_HELP[name as CkanAction];
  if (!help) throw ckanNotFound('Action function');
  return help;
}

async function organizationShow(ctx: CkanContext, params: Params) {
  const id = required(params, 'id').toLowerCase();
  const rows = await listedRows(ctx.database, ctx.policies);
  const mine = rows.filter((r) => organizationName(r.departmentCode) === id);
  const org = organizationsOf(mine)[0];
  if (!org) throw ckanNotFound('Organization');
  if (!bool(params, 'include_datasets')) return org;
  const entries = await entriesOf(ctx.database, ctx.policies, mine.slice(0, 1000), ctx.now);
  return { ...org, packages: entries.map((e) => toCkanPackage(e, ctx.site.base)) };
}

/**
 * Runs one action with its parameters (query string or JSON body). Throws NOT_FOUND (CKAN Not Found Error),
 * VALIDATION_FAILED (Validation Error) and BAD_REQUEST (Search Query Error) with `details.ckan` naming CKAN's type.
 */
export async function runCkanAction(ctx: CkanContext, action: string, params: Params): Promise<unknown> {
  switch (action as CkanAction) {
    case 'status_show':
      return statusShow(ctx);
    case 'help_show':
      return helpShow(params);
    case 'tag_list':
      return tagList(ctx, params);
    case 'group_list':
      return groupList(ctx, params);
    case 'group_show':
      return groupShow(ctx, params);
    case 'package_list':
      return packageList(ctx, params);
    case 'package_show':
      return packageShow(ctx, params);
    case 'package_search':
      return packageSearch(ctx, params);
    case 'organization_list':
      return organizationList(ctx, params);
    case 'organization_show':
      return organizationShow(ctx, params);
    default:
      throw ckanUnknownAction();
  }
}
