// The Solr query subset CKAN clients write in package_search's `q` and `fq`: field-scoped terms (`title:企业`,
// `tags:人口`, `organization:x`, `res_format:CSV`, `name:pop*`), quoted phrases, date ranges, AND / OR / NOT, `+` / `-`,
// parentheses and field groups (`organization:(a OR b)`). Parsed into a small tree and evaluated over catalog rows.
// Anything outside the subset is a CKAN Search Query Error (400), never a silent "nothing found".
import { ckanSearchQueryError } from './ckan-errors.ts';

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'term'; field: string; value: string; prefix: boolean }
  | { kind: 'range'; field: string; from: number | null; to: number | null; fromInclusive: boolean; toInclusive: boolean }
  | { kind: 'not'; node: QueryNode }
  | { kind: 'and'; nodes: QueryNode[] }
  | { kind: 'or'; nodes: QueryNode[] };

/** The default field: CKAN's catch-all `text` (name, summary, keywords, department, theme, field names). */
export const TEXT_FIELD = 'text';

/** Fields a query may name (CKAN's Solr schema names); `owner_org` is an alias of `organization`. */
export const QUERY_FIELDS = new Set([
  TEXT_FIELD,
  'title',
  'notes',
  'name',
  'id',
  'tags',
  'organization',
  'owner_org',
  'groups',
  'res_format',
  'license_id',
  'metadata_modified',
  'metadata_created',
  'dataset_type',
  'capacity',
  'state',
]);
export const DATE_FIELDS = new Set(['metadata_modified', 'metadata_created']);

const UNITS: Record<string, number> = { SECOND: 1e3, MINUTE: 6e4, HOUR: 3.6e6, DAY: 8.64e7, WEEK: 6.048e8, MONTH: 2.592e9, YEAR: 3.1536e10 };

/** A Solr date: ISO 8601 UTC (the trailing Z optional, microseconds allowed), `*`, or `NOW` with simple ±N UNIT math. */
export function solrDate(raw: string, now: Date): number | null {
  if (raw === '*') return null;
  const math = /^NOW(?:([+-])(\d{1,6})(SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|YEAR)S?)?$/.exec(raw);
  if (math) return now.getTime() + (math[1] ? (math[1] === '-' ? -1 : 1) * Number(math[2]) * UNITS[math[3]!]! : 0);
  const iso = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?Z?$/.exec(raw);
  if (!iso) throw ckanSearchQueryError('a date must be ISO 8601 (2024-01-31T00:00:00Z), NOW or *');
  const ms = Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}${iso[3] ? `.${iso[3].slice(0, 3).padEnd(3, '0')}` : ''}Z`);
  if (Number.isNaN(ms)) throw ckanSearchQueryError('a date is not a calendar date');
  return ms;
}

const MAX_LENGTH = 4000;
const MAX_DEPTH = 20;
// characters that end a bare term (Lucene's specials that may not appear unescaped inside one)
const TERM_END = /[\s()"[\]{}]/;

/** A recursive-descent reader over one query string. */
class Reader {
  private at = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly now: Date,
  ) {}

  parse(): QueryNode {
    const node = this.or(TEXT_FIELD);
    this.space();
    if (this.at < this.text.length) throw ckanSearchQueryError(`unexpected "${this.text[this.at]}" at position ${this.at + 1}`);
    return node;
  }

  private space() {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  /** The operator word at the cursor (AND, OR, NOT, &&, ||), upper-case only as in Lucene. */
  private operator(): string | null {
    this.space();
    const m = /^(AND|OR|NOT|&&|\|\|)(?=[\s(]|$)/.exec(this.text.slice(this.at, this.at + 4));
    return m ? m[1]! : null;
  }

  private or(field: string): QueryNode {
    const nodes = [this.and(field)];
    for (let op = this.operator(); op === 'OR' || op === '||'; op = this.operator()) {
      this.at += op.length;
      nodes.push(this.and(field));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  }

  /** Clauses side by side are ANDed: CKAN runs Solr with q.op=AND. */
  private and(field: string): QueryNode {
    const nodes = [this.unary(field)];
    for (;;) {
      this.space();
      const op = this.operator();
      if (this.at >= this.text.length || this.text[this.at] === ')' || op === 'OR' || op === '||') break;
      if (op === 'AND' || op === '&&') this.at += op.length;
      nodes.push(this.unary(field));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  }

  private unary(field: string): QueryNode {
    this.space();
    const op = this.operator();
    if (op === 'NOT') {
      this.at += 3;
      return { kind: 'not', node: this.unary(field) };
    }
    const c = this.text[this.at];
    if (c === '-' || c === '!') {
      this.at++;
      return { kind: 'not', node: this.primary(field) };
    }
    if (c === '+') this.at++;
    return this.primary(field);
  }

  private primary(field: string): QueryNode {
    this.space();
    if (this.at >= this.text.length) throw ckanSearchQueryError('the query ends where a term was expected');
    if (this.text.startsWith('*:*', this.at)) {
      this.at += 3;
      return { kind: 'all' };
    }
    const named = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(this.text.slice(this.at, this.at + 40));
    if (named) {
      const name = named[1]!;
      if (!QUERY_FIELDS.has(name)) throw ckanSearchQueryError(`field not supported: ${name}`);
      this.at += named[0].length;
      return this.value(name === 'owner_org' ? 'organization' : name);
    }
    return this.value(field);
  }

  private value(field: string): QueryNode {
    const c = this.text[this.at];
    if (c === '(') {
      if (++this.depth > MAX_DEPTH) throw ckanSearchQueryError('too deeply nested');
      this.at++;
      const node = this.or(field);
      this.space();
      if (this.text[this.at] !== ')') throw ckanSearchQueryError('a "(" is not closed');
      this.at++;
      this.depth--;
      return node;
    }
    if (c === '"') {
      const end = this.closing('"');
      const value = this.text.slice(this.at + 1, end).replace(/\\(.)/g, '$1');
      this.at = end + 1;
      return this.term(field, value, false);
    }
    if (c === '[' || c === '{') return this.range(field);
    let value = '';
    while (this.at < this.text.length && !TERM_END.test(this.text[this.at]!)) {
      if (this.text[this.at] === '\\' && this.at + 1 < this.text.length) this.at++;
      value += this.text[this.at++];
    }
    if (value === '') throw ckanSearchQueryError(`no value after "${field}:"`);
    // a trailing unescaped * is a prefix query (name:pop*); * alone means "has any value"
    const prefix = value.endsWith('*') && !this.text.slice(0, this.at).endsWith('\\*');
    return this.term(field, prefix ? value.slice(0, -1) : value, prefix);
  }

  private term(field: string, value: string, prefix: boolean): QueryNode {
    if (DATE_FIELDS.has(field) && !prefix && value !== '') {
      // a date term is its instant; a bare day is the whole (UTC) day
      const t = solrDate(value, this.now)!;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
      return { kind: 'range', field, from: t, to: day ? t + 86_400_000 : t, fromInclusive: true, toInclusive: !day };
    }
    return { kind: 'term', field, value, prefix };
  }

  private closing(quote: string): number {
    for (let i = this.at + 1; i < this.text.length; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text[i] === quote) return i;
    }
    throw ckanSearchQueryError('a quoted phrase is not closed');
  }

  private range(field: string): QueryNode {
    const m = /^([[{])\s*(\S+)\s+TO\s+(\S+?)\s*([\]}])/.exec(this.text.slice(this.at, this.at + 200));
    if (!m) throw ckanSearchQueryError('a range is [from TO to]');
    if (!DATE_FIELDS.has(field)) throw ckanSearchQueryError('ranges are supported on metadata_modified and metadata_created');
    this.at += m[0].length;
    return { kind: 'range', field, from: solrDate(m[2]!, this.now), to: solrDate(m[3]!, this.now), fromInclusive: m[1] === '[', toInclusive: m[4] === ']' };
  }
}

/** Parses one `q` or `fq` in the Solr subset. Throws BAD_REQUEST (CKAN Search Query Error). */
export function parseSolrQuery(text: string, now: Date): QueryNode {
  if (text.length > MAX_LENGTH) throw ckanSearchQueryError('the query is too long');
  if (text.trim() === '') return { kind: 'all' };
  return new Reader(text, now).parse();
}

/**
 * `q` as CKAN reads it: with field syntax (`name:value`, `*:*`) it is a Solr query; without, plain words that must
 * each occur (CKAN's dismax with q.op=AND) — so `%`, `_`, `\`, quotes and lower-case "or" are characters like any other.
 */
export function parseQ(text: string, now: Date): QueryNode {
  const q = text.trim();
  if (q === '' || q === '*' || q === '*:*') return { kind: 'all' };
  if (/(^|[\s(+-])[A-Za-z_][A-Za-z0-9_]*:/.test(q)) return parseSolrQuery(q, now);
  const words = q.toLowerCase().split(/\s+/).slice(0, 20);
  const nodes: QueryNode[] = words.map((value) => ({ kind: 'term', field: TEXT_FIELD, value, prefix: false }));
  return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
}

/** Plain-text terms every match must contain (reachable through AND only): the SQL narrows rows by them first. */
export function requiredTextTerms(node: QueryNode): string[] {
  if (node.kind === 'term' && node.field === TEXT_FIELD && node.value !== '') return [node.value.toLowerCase()];
  if (node.kind === 'and') return node.nodes.flatMap(requiredTextTerms);
  return [];
}

/** What a row offers to a query: values per field, and the instants of the two date fields. */
export interface QueryTarget {
  /** exact-match values per field (organization and res_format compare without case) */
  values(field: string): readonly string[];
  /** lower-cased texts a term must occur in, per text field (text, title, notes) */
  text(field: string): string | null;
  instant(field: 'metadata_modified' | 'metadata_created'): number;
}

const CASELESS = new Set(['organization', 'res_format']);

function termMatches(target: QueryTarget, node: Extract<QueryNode, { kind: 'term' }>): boolean {
  const haystack = target.text(node.field);
  if (haystack !== null) return haystack.includes(node.value.toLowerCase());
  const values = target.values(node.field);
  const caseless = CASELESS.has(node.field);
  const want = caseless ? node.value.toLowerCase() : node.value;
  return values.some((v) => {
    const have = caseless ? v.toLowerCase() : v;
    return node.prefix ? have.startsWith(want) : have === want;
  });
}

export function evaluate(node: QueryNode, target: QueryTarget): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'term':
      return termMatches(target, node);
    case 'range': {
      const t = target.instant(node.field as 'metadata_modified' | 'metadata_created');
      const above = node.from === null || (node.fromInclusive ? t >= node.from : t > node.from);
      const below = node.to === null || (node.toInclusive ? t <= node.to : t < node.to);
      return above && below;
    }
    case 'not':
      return !evaluate(node.node, target);
    case 'and':
      return node.nodes.every((n) => evaluate(n, target));
    case 'or':
      return node.nodes.some((n) => evaluate(n, target));
  }
}
