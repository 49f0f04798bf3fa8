// Parameters of the CKAN actions, parsed as CKAN does: defaults, natural numbers, `rows` clamped to 1000, `fq` as a
// small subset of Solr filter syntax, `sort` and `facet.field`. Throws CKAN's Validation and Search Query errors.
import { ckanSearchQueryError, ckanValidationError } from './ckan-errors.ts';

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

// ---- fq ------------------------------------------------------------------------------------------------------------

export type FqValue = { kind: 'term'; value: string } | { kind: 'range'; from: number | null; to: number | null; fromInclusive: boolean; toInclusive: boolean };
export interface FqClause {
  field: string;
  negate: boolean;
  value: FqValue;
}

const FQ_FIELDS = new Set(['organization', 'owner_org', 'tags', 'res_format', 'license_id', 'name', 'id', 'metadata_modified', 'metadata_created', 'dataset_type', 'capacity', 'state']);
const DATE_FIELDS = new Set(['metadata_modified', 'metadata_created']);

// one clause: optional +/-, field, colon, then a quoted string, a [..]/{..} range or a bare word
const CLAUSE = /\s*(?:(AND|&&)(?=\s)|([+-]?)([A-Za-z_]+):("(?:[^"\\]|\\.)*"|[[{][^\]}]*[\]}]|[^\s"()[\]{}]+))/y;

const UNITS: Record<string, number> = { SECOND: 1e3, MINUTE: 6e4, HOUR: 3.6e6, DAY: 8.64e7, WEEK: 6.048e8, MONTH: 2.592e9, YEAR: 3.1536e10 };

/** A Solr date: ISO 8601 UTC (the trailing Z optional, microseconds allowed), `*`, or `NOW` with simple ±N UNIT math. */
export function solrDate(raw: string, now: Date): number | null {
  if (raw === '*') return null;
  const math = /^NOW(?:([+-])(\d{1,6})(SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|YEAR)S?)?$/.exec(raw);
  if (math) return now.getTime() + (math[1] ? (math[1] === '-' ? -1 : 1) * Number(math[2]) * UNITS[math[3]!]! : 0);
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?Z?$/.exec(raw);
  if (!iso) throw ckanSearchQueryError('a date must be ISO 8601 (2024-01-31T00:00:00Z), NOW or *');
  const ms = Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}${iso[3] ? `.${iso[3].slice(0, 3).padEnd(3, '0')}` : ''}Z`);
  if (Number.isNaN(ms)) throw ckanSearchQueryError('a date in fq is not a calendar date');
  return ms;
}

function unquote(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.replace(/\\(.)/g, '$1');
}

function parseValue(field: string, raw: string, now: Date): FqValue {
  if (raw.startsWith('[') || raw.startsWith('{')) {
    const range = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(raw);
    if (!range) throw ckanSearchQueryError('a range is [from TO to]');
    if (!DATE_FIELDS.has(field)) throw ckanSearchQueryError('ranges are supported on metadata_modified and metadata_created');
    return { kind: 'range', from: solrDate(range[2]!, now), to: solrDate(range[3]!, now), fromInclusive: range[1] === '[', toInclusive: range[4] === ']' };
  }
  return { kind: 'term', value: unquote(raw) };
}

/** `organization:x +tags:"a b" -res_format:CSV metadata_modified:[2024-01-01T00:00:00Z TO *]` → clauses (ANDed). */
export function parseFq(fq: string, now: Date): FqClause[] {
  const clauses: FqClause[] = [];
  CLAUSE.lastIndex = 0;
  let at = 0;
  while (fq.slice(at).trim() !== '') {
    CLAUSE.lastIndex = at;
    const m = CLAUSE.exec(fq);
    if (!m) throw ckanSearchQueryError('fq supports field:value clauses joined by spaces or AND');
    at = CLAUSE.lastIndex;
    if (m[1]) continue;
    const field = m[3]!;
    if (!FQ_FIELDS.has(field)) throw ckanSearchQueryError(`fq field not supported: ${field.slice(0, 40)}`);
    clauses.push({ field, negate: m[2] === '-', value: parseValue(field, m[4]!, now) });
  }
  return clauses;
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

/** `facet.field` is a JSON list of field names (CKAN: convert_to_json_if_string + list_of_strings). */
export function parseFacetFields(raw: unknown): FacetField[] {
  if (raw === undefined || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      throw ckanValidationError('facet.field', 'Could not parse as valid JSON');
    }
  }
  if (!Array.isArray(list)) throw ckanValidationError('facet.field', 'Not a list');
  return list.map((f) => {
    if (typeof f !== 'string') throw ckanValidationError('facet.field', 'Not a string');
    if (!(FACET_FIELDS as readonly string[]).includes(f)) throw ckanSearchQueryError(`facet field not supported: ${f.slice(0, 40)}`);
    return f as FacetField;
  });
}

// ---- package_search ------------------------------------------------------------------------------------------------

export interface PackageSearchParams {
  /** plain-text terms, each must occur (Solr's default AND); empty for everything */
  terms: string[];
  fq: FqClause[];
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
  const q = text(params, 'q').trim();
  // `*:*` is Solr's match-all; anything else is plain text (no field syntax, no wildcards): metacharacters match as typed
  const terms = q === '' || q === '*:*' || q === '*' ? [] : q.toLowerCase().split(/\s+/).slice(0, 20);
  const rows = Math.min(naturalNumber(params, 'rows') ?? ROWS_DEFAULT, ROWS_MAX);
  const start = naturalNumber(params, 'start') ?? 0;
  const sortText = text(params, 'sort').trim() || SORT_DEFAULT;
  const facetLimitRaw = params['facet.limit'];
  const facetLimit = facetLimitRaw === '-1' || facetLimitRaw === -1 ? -1 : (naturalNumber(params, 'facet.limit') ?? FACET_LIMIT_DEFAULT);
  return {
    terms,
    fq: parseFq(text(params, 'fq'), now),
    rows,
    start,
    sort: parseSort(sortText),
    sortText,
    facetFields: parseFacetFields(params['facet.field']),
    facetLimit,
  };
}
