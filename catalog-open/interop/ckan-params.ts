// Parameters of the CKAN actions, parsed as CKAN does: defaults, natural numbers, `rows` clamped to 1000, `q` and `fq`
// in the Solr subset of ckan-query.ts, `sort` and `facet.field`. Throws CKAN's Validation and Search Query errors.
import { ckanSearchQueryError, ckanValidationError } from './ckan-errors.ts';
import { parseQ, parseSolrQuery, requiredTextTerms, type QueryNode } from './ckan-query.ts';

/** CKAN's `ckan.search.rows_max` default: larger `rows` are clamped, not refused. */
export const ROWS_MAX = 1000;
export const ROWS_DEFAULT = 10;
export const FACET_LIMIT_DEFAULT = 50;

export type Params = Record<string, unknown>;

/** int_validator + natural_number_validator of CKAN; `undefined` when absent. */
export function naturalNumber(params: Params, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  if (text === null || !/^[+-]?\d{1,15}$/.test(text)) throw ckanValidationError(name, 'Invalid integer');
  const value = Number(text);
  if (value < 0) throw ckanValidationError(name, 'Must be a natural number');
  return value;
}

/** boolean_validator of CKAN: true, yes, 1, on (any case) are true. */
export function bool(params: Params, name: string): boolean {
  const raw = params[name];
  if (typeof raw === 'boolean') return raw;
  return typeof raw === 'string' && ['true', 'yes', '1', 'on', 't', 'y'].includes(raw.trim().toLowerCase());
}

export function text(params: Params, name: string): string {
  const raw = params[name];
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw ckanValidationError(name, 'Must be a string');
  return raw;
}

/** A list parameter: a JSON list, a JSON-list string, or (a GET query with the key repeated) several strings. */
export function stringList(params: Params, name: string): string[] {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    if (!raw.trim().startsWith('[')) return [raw];
    try {
      list = JSON.parse(raw);
    } catch {
      throw ckanValidationError(name, 'Could not parse as valid JSON');
    }
  }
  if (!Array.isArray(list)) throw ckanValidationError(name, 'Not a list');
  return list.map((v) => {
    if (typeof v !== 'string') throw ckanValidationError(name, 'Not a string');
    return v;
  });
}

// ---- sort, facets --------------------------------------------------------------------------------------------------

export const SORT_FIELDS = ['score', 'metadata_modified', 'metadata_created', 'name', 'id', 'title', 'title_string'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface SortKey {
  field: SortField;
  desc: boolean;
}
export const SORT_DEFAULT = 'score desc, metadata_modified desc';

export function parseSort(sort: string): SortKey[] {
  return sort
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [field, dir = 'asc', ...rest] = part.split(/\s+/);
      if (!(SORT_FIELDS as readonly string[]).includes(field!) || !['asc', 'desc'].includes(dir.toLowerCase()) || rest.length > 0) {
        throw ckanSearchQueryError('sort is a list of "field asc|desc" over score, metadata_modified, metadata_created, name, id, title');
      }
      return { field: field as SortField, desc: dir.toLowerCase() === 'desc' };
    });
}

export const FACET_FIELDS = ['organization', 'tags', 'res_format', 'license_id', 'groups'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/**
 * `facet.field` is a JSON list of field names (CKAN: convert_to_json_if_string + list_of_strings); a GET query may
 * repeat the key instead (what requests does with a Python list, e.g. ckanapi with get_only).
 */
export function parseFacetFields(params: Params): FacetField[] {
  const raw = params['facet.field'];
  if (typeof raw === 'string' && raw.trim() !== '' && !raw.trim().startsWith('[')) throw ckanValidationError('facet.field', 'Could not parse as valid JSON');
  return stringList(params, 'facet.field').map((f) => {
    if (!(FACET_FIELDS as readonly string[]).includes(f)) throw ckanSearchQueryError(`facet field not supported: ${f.slice(0, 40)}`);
    return f as FacetField;
  });
}

// ---- package_search ------------------------------------------------------------------------------------------------

export interface PackageSearchParams {
  /** `q` and every `fq` ANDed: what a package must match */
  query: QueryNode;
  /** plain-text terms every match contains (the SQL narrows by them first); empty for everything */
  terms: string[];
  rows: number;
  start: number;
  sort: SortKey[];
  sortText: string;
  facetFields: FacetField[];
  /** -1 for no limit, as in CKAN */
  facetLimit: number;
}

/** Throws VALIDATION_FAILED (CKAN Validation Error) or BAD_REQUEST (CKAN Search Query Error). */
export function parsePackageSearch(params: Params, now: Date = new Date()): PackageSearchParams {
  // fq: one string, or CKAN's fq_list (several, each ANDed)
  const filters = [text(params, 'fq'), ...stringList(params, 'fq_list')].filter((f) => f.trim() !== '');
  const query: QueryNode = { kind: 'and', nodes: [parseQ(text(params, 'q'), now), ...filters.map((f) => parseSolrQuery(f, now))] };
  const rows = Math.min(naturalNumber(params, 'rows') ?? ROWS_DEFAULT, ROWS_MAX);
  const start = naturalNumber(params, 'start') ?? 0;
  const sortText = text(params, 'sort').trim() || SORT_DEFAULT;
  const facetLimitRaw = params['facet.limit'];
  const facetLimit = facetLimitRaw === '-1' || facetLimitRaw === -1 ? -1 : (naturalNumber(params, 'facet.limit') ?? FACET_LIMIT_DEFAULT);
  return {
    query,
    terms: requiredTextTerms(query),
    rows,
    start,
    sort: parseSort(sortText),
    sortText,
    facetFields: parseFacetFields(params),
    facetLimit,
  };
}
