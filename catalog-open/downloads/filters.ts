// Simple row filters of a download: `?<field>=<value>` (equality) and `?<field>.gte=` / `.lte=` (ranges on numbers,
// dates and times), on released fields whose values are not masked. Values become bind parameters, never SQL text.
import { AppError } from '../../errors/index.ts';
import type { FieldType } from '../../store/index.ts';

export const MAX_FILTERS = 20;
const MAX_VALUE_LENGTH = 500;
const OPERATORS = { eq: '=', gte: '>=', lte: '<=' } as const;
type Operator = keyof typeof OPERATORS;
const RANGE_TYPES: readonly FieldType[] = ['integer', 'decimal', 'date', 'timestamp'];

const CASTS: Record<FieldType, string> = {
  string: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

export interface FilterableField {
  readonly name: string;
  readonly type: FieldType;
  /** why it cannot be filtered on, or null when it can */
  readonly refusal: string | null;
}

export interface ParsedFilter {
  readonly field: string;
  readonly op: Operator;
  /** the value as PostgreSQL parses it for the field's type */
  readonly value: string;
}

const bad = (parameter: string, message: string) => new AppError('BAD_REQUEST', message, { details: { parameter } });

function validValue(type: FieldType, raw: string): string | null {
  switch (type) {
    case 'integer':
      return /^-?\d{1,18}$/.test(raw) ? raw : null;
    case 'decimal':
      return /^-?\d{1,30}(\.\d{1,30})?$/.test(raw) ? raw : null;
    case 'boolean':
      return raw === 'true' || raw === 'false' ? raw : null;
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
      const d = new Date(`${raw}T00:00:00Z`);
      return Number.isFinite(d.getTime()) && d.toISOString().startsWith(raw) ? raw : null;
    }
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) && Number.isFinite(Date.parse(raw)) ? raw : null;
    default:
      return raw;
  }
}

/**
 * Parses the filter parameters (every query parameter except the reserved ones). Throws BAD_REQUEST naming the
 * parameter for an unknown field or operator, a field that cannot be filtered on, a value of the wrong type, or a
 * parameter given twice. Messages never repeat the value.
 */
export function parseFilters(query: Readonly<Record<string, readonly string[]>>, fields: readonly FilterableField[]): ParsedFilter[] {
  const keys = Object.keys(query);
  if (keys.length > MAX_FILTERS) throw bad(keys[MAX_FILTERS]!, `at most ${MAX_FILTERS} filters`);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const out: ParsedFilter[] = [];
  for (const key of keys.sort()) {
    const values = query[key]!;
    const [name, suffix, ...rest] = key.split('.');
    const field = byName.get(name!);
    if (!field) throw bad(key, 'unknown query parameter: not a field of this dataset');
    if (rest.length > 0 || (suffix !== undefined && suffix !== 'gte' && suffix !== 'lte')) {
      throw bad(key, 'unknown filter operator: use <field>=, <field>.gte= or <field>.lte=');
    }
    const op: Operator = (suffix as Operator | undefined) ?? 'eq';
    if (field.refusal) throw bad(key, field.refusal);
    if (op !== 'eq' && !RANGE_TYPES.includes(field.type)) throw bad(key, 'ranges work on numbers, dates and times only');
    if (values.length !== 1) throw bad(key, 'a filter parameter may be given once');
    const raw = values[0]!;
    if (raw.length > MAX_VALUE_LENGTH) throw bad(key, `a filter value is at most ${MAX_VALUE_LENGTH} characters`);
    const value = validValue(field.type, raw);
    if (value === null) throw bad(key, `the value is not a valid ${field.type}`);
    out.push({ field: field.name, op, value });
  }
  return out;
}

/** The WHERE condition of the filters, with `$1`... placeholders and their parameters. Field names are identifiers. */
export function filterCondition(filters: readonly ParsedFilter[], types: ReadonlyMap<string, FieldType>): { where: string | undefined; params: string[] } {
  if (filters.length === 0) return { where: undefined, params: [] };
  const params: string[] = [];
  const parts = filters.map((f) => {
    params.push(f.value);
    // bound as text and cast in SQL: a driver that types parameters itself (postgres.js serializes a `boolean`
    // parameter from a JS boolean only) gets the validated text unchanged
    return `"${f.field}" ${OPERATORS[f.op]} $${params.length}::text::${CASTS[types.get(f.field)!]}`;
  });
  return { where: parts.join(' and '), params };
}
