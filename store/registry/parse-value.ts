// Checks one incoming value against its field type and renders it as a canonical CSV cell for COPY.
import type { FieldDefinition } from './types.ts';

export type ParsedCell = { ok: true; cell: string } | { ok: false; reason: string };

const INTEGER = /^-?\d{1,19}$/;
const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const MAX_STRING_LENGTH = 65_536;

/** An unquoted empty CSV cell is NULL for COPY; every non-null string is quoted so '' stays a string. */
const NULL_CELL = '';

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * `raw` is a string from CSV or any JSON value from NDJSON. Reasons name the kind of problem, never the value,
 * because they are shown to clients and may be logged.
 */
export function parseValue(field: FieldDefinition, raw: unknown, fromCsv: boolean): ParsedCell {
  if (raw === null || raw === undefined || (fromCsv && raw === '' && field.type !== 'string')) {
    return field.nullable ? { ok: true, cell: NULL_CELL } : { ok: false, reason: 'required value missing' };
  }
  switch (field.type) {
    case 'string': {
      if (typeof raw !== 'string') return { ok: false, reason: 'expected a string' };
      if (raw.length > MAX_STRING_LENGTH) return { ok: false, reason: 'string too long' };
      // CSV cannot tell an empty string from a missing one: treat empty CSV cells as null where allowed
      if (fromCsv && raw === '') {
        return field.nullable ? { ok: true, cell: NULL_CELL } : { ok: false, reason: 'required value missing' };
      }
      if (raw.includes('\u0000')) return { ok: false, reason: 'string contains NUL' };
      return { ok: true, cell: quote(raw) };
    }
    case 'integer': {
      const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
      if (typeof text !== 'string' || !INTEGER.test(text)) return { ok: false, reason: 'expected an integer' };
      const n = BigInt(text);
      if (n < INT8_MIN || n > INT8_MAX) return { ok: false, reason: 'integer out of range' };
      return { ok: true, cell: text };
    }
    case 'decimal': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof text !== 'string') return { ok: false, reason: 'expected a decimal number' };
      if (DECIMAL.test(text)) return { ok: true, cell: text };
      // JSON numbers may print in exponent form (1e-7); accept those, not exponent strings from CSV
      if (typeof raw === 'number' && /^-?\d(\.\d+)?e[+-]\d+$/.test(text)) return { ok: true, cell: text };
      return { ok: false, reason: 'expected a decimal number' };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, cell: raw ? 'true' : 'false' };
      if (raw === 'true' || raw === '1') return { ok: true, cell: 'true' };
      if (raw === 'false' || raw === '0') return { ok: true, cell: 'false' };
      return { ok: false, reason: 'expected true or false' };
    }
    case 'date':
      if (typeof raw !== 'string' || !isCalendarDate(raw)) return { ok: false, reason: 'expected a date YYYY-MM-DD' };
      return { ok: true, cell: raw };
    case 'timestamp':
      if (typeof raw !== 'string' || !TIMESTAMP.test(raw) || Number.isNaN(Date.parse(raw))) {
        return { ok: false, reason: 'expected an RFC 3339 timestamp' };
      }
      return { ok: true, cell: raw };
  }
}
