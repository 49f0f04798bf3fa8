// Checks one incoming value against its field type and renders it as a canonical CSV cell for COPY.
import type { FieldDefinition } from './types.ts';

export type ParsedCell = { ok: true; cell: string } | { ok: false; reason: string };

/** Why a value was refused. Reasons name the kind of problem, never the value: clients see them, logs may keep them. */
export interface CellFailure {
  readonly reason: string;
}

/** Checks one CSV cell (undefined when the file has no such column): its COPY cell, or why not. */
export type CsvCellParser = (raw: string | undefined) => string | CellFailure;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const JSON_EXPONENT = /^-?\d(\.\d+)?e[+-]\d+$/;
const INT8_MAX_DIGITS = '9223372036854775807';
const INT8_MIN_DIGITS = '9223372036854775808';
const MAX_STRING_LENGTH = 65_536;

/** An unquoted empty CSV cell is NULL for COPY; every non-null string is quoted so '' stays a string. */
const NULL_CELL = '';

const failure = (reason: string): CellFailure => Object.freeze({ reason });
const MISSING = failure('required value missing');
const NOT_STRING = failure('expected a string');
const TOO_LONG = failure('string too long');
const HAS_NUL = failure('string contains NUL');
const NOT_INTEGER = failure('expected an integer');
const OUT_OF_RANGE = failure('integer out of range');
const NOT_DECIMAL = failure('expected a decimal number');
const NOT_BOOLEAN = failure('expected true or false');
const NOT_DATE = failure('expected a date YYYY-MM-DD');
const NOT_TIMESTAMP = failure('expected an RFC 3339 timestamp');

function quote(text: string): string {
  return text.includes('"') ? `"${text.replaceAll('"', '""')}"` : `"${text}"`;
}

/** Index past the ASCII digits from `i`. */
function digitsEnd(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  return i;
}

/** /^-?\d{1,19}$/ within PostgreSQL bigint; undefined when fine. */
function integerFailure(text: string): CellFailure | undefined {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const digits = text.length - start;
  if (digits < 1 || digits > 19 || digitsEnd(text, start) !== text.length) return NOT_INTEGER;
  // equal-length digit strings compare as their numbers
  if (digits === 19 && text.slice(start) > (start ? INT8_MIN_DIGITS : INT8_MAX_DIGITS)) return OUT_OF_RANGE;
  return undefined;
}

/** /^-?\d{1,30}(\.\d{1,20})?$/ */
function isDecimal(text: string): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const point = digitsEnd(text, start);
  if (point - start < 1 || point - start > 30) return false;
  if (point === text.length) return true;
  if (text.charCodeAt(point) !== 46) return false;
  const end = digitsEnd(text, point + 1);
  return end === text.length && end - point - 1 >= 1 && end - point - 1 <= 20;
}

function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** YYYY-MM-DD naming a real day of a year from 100 on (as Date.UTC reads years below 100 as 19xx, those never were). */
function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const hi = twoDigits(text, 0);
  const lo = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = hi * 100 + lo;
  if (year < 100) return false;
  if (month === 2) return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28);
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

function isTimestamp(text: string): boolean {
  return TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text));
}

const ok = (cell: string): ParsedCell => ({ ok: true, cell });
const refused = (f: CellFailure): ParsedCell => ({ ok: false, reason: f.reason });

/**
 * `raw` is a string from CSV or any JSON value from NDJSON. Reasons name the kind of problem, never the value,
 * because they are shown to clients and may be logged.
 */
export function parseValue(field: FieldDefinition, raw: unknown, fromCsv: boolean): ParsedCell {
  if (fromCsv && (raw === undefined || typeof raw === 'string')) {
    const cell = csvCellParser(field)(raw);
    return typeof cell === 'string' ? ok(cell) : refused(cell);
  }
  if (raw === null || raw === undefined) return field.nullable ? ok(NULL_CELL) : refused(MISSING);
  switch (field.type) {
    case 'string': {
      if (typeof raw !== 'string') return refused(NOT_STRING);
      if (raw.length > MAX_STRING_LENGTH) return refused(TOO_LONG);
      if (raw.includes('\u0000')) return refused(HAS_NUL);
      return ok(quote(raw));
    }
    case 'integer': {
      const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
      if (typeof text !== 'string') return refused(NOT_INTEGER);
      const problem = integerFailure(text);
      return problem ? refused(problem) : ok(text);
    }
    case 'decimal': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof text !== 'string') return refused(NOT_DECIMAL);
      if (isDecimal(text)) return ok(text);
      // JSON numbers may print in exponent form (1e-7); accept those, not exponent strings from CSV
      if (typeof raw === 'number' && JSON_EXPONENT.test(text)) return ok(text);
      return refused(NOT_DECIMAL);
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return ok(raw ? 'true' : 'false');
      if (raw === 'true' || raw === '1') return ok('true');
      if (raw === 'false' || raw === '0') return ok('false');
      return refused(NOT_BOOLEAN);
    }
    case 'date':
      return typeof raw === 'string' && isCalendarDate(raw) ? ok(raw) : refused(NOT_DATE);
    case 'timestamp':
      return typeof raw === 'string' && isTimestamp(raw) ? ok(raw) : refused(NOT_TIMESTAMP);
  }
}

/**
 * parseValue for CSV, compiled once per field: an empty cell is NULL, or missing where the field is required.
 * `quoteStrings: false` leaves strings as they are, for cells known to hold no quote, comma or line break, where
 * that is the same COPY cell.
 */
export function csvCellParser(field: FieldDefinition, quoteStrings = true): CsvCellParser {
  const empty = field.nullable ? NULL_CELL : MISSING;
  switch (field.type) {
    case 'string':
      return (raw) => {
        if (raw === undefined || raw === '') return empty;
        if (raw.length > MAX_STRING_LENGTH) return TOO_LONG;
        if (raw.includes('\u0000')) return HAS_NUL;
        return quoteStrings ? quote(raw) : raw;
      };
    case 'integer':
      return (raw) => (raw === undefined || raw === '' ? empty : (integerFailure(raw) ?? raw));
    case 'decimal':
      return (raw) => (raw === undefined || raw === '' ? empty : isDecimal(raw) ? raw : NOT_DECIMAL);
    case 'boolean':
      return (raw) => {
        if (raw === undefined || raw === '') return empty;
        if (raw === 'true' || raw === '1') return 'true';
        if (raw === 'false' || raw === '0') return 'false';
        return NOT_BOOLEAN;
      };
    case 'date':
      return (raw) => (raw === undefined || raw === '' ? empty : isCalendarDate(raw) ? raw : NOT_DATE);
    case 'timestamp':
      return (raw) => (raw === undefined || raw === '' ? empty : isTimestamp(raw) ? raw : NOT_TIMESTAMP);
  }
}
