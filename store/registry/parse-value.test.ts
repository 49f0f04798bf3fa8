import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCellParser, parseValue, type ParsedCell } from './parse-value.ts';
import { FIELD_TYPES, type FieldDefinition, type FieldType } from './types.ts';

// The first, regex-based version, kept as the specification the fast checks must match.
const INTEGER = /^-?\d{1,19}$/;
const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function reference(field: FieldDefinition, raw: unknown, fromCsv: boolean): ParsedCell {
  if (raw === null || raw === undefined || (fromCsv && raw === '' && field.type !== 'string')) {
    return field.nullable ? { ok: true, cell: '' } : { ok: false, reason: 'required value missing' };
  }
  switch (field.type) {
    case 'string': {
      if (typeof raw !== 'string') return { ok: false, reason: 'expected a string' };
      if (raw.length > 65_536) return { ok: false, reason: 'string too long' };
      if (fromCsv && raw === '') {
        return field.nullable ? { ok: true, cell: '' } : { ok: false, reason: 'required value missing' };
      }
      if (raw.includes('\u0000')) return { ok: false, reason: 'string contains NUL' };
      return { ok: true, cell: `"${raw.replaceAll('"', '""')}"` };
    }
    case 'integer': {
      const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
      if (typeof text !== 'string' || !INTEGER.test(text)) return { ok: false, reason: 'expected an integer' };
      const n = BigInt(text);
      if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) return { ok: false, reason: 'integer out of range' };
      return { ok: true, cell: text };
    }
    case 'decimal': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof text !== 'string') return { ok: false, reason: 'expected a decimal number' };
      if (DECIMAL.test(text)) return { ok: true, cell: text };
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

const field = (type: FieldType, nullable: boolean): FieldDefinition => ({ name: 'f', type, nullable, description: '', sensitivity: 'none' });
const fields = FIELD_TYPES.flatMap((type) => [field(type, true), field(type, false)]);

/** A run of digits, every length in [min, max] equally likely. */
const digits = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Strings near each type's edges: digits of every length, calendar-ish dates, timestamp-ish text, noise. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789-.:+eETZ tf"\u0000a中'), maxLength: 45 }),
  fc.tuple(fc.constantFrom('', '-', '+', ' '), digits(0, 32), fc.constantFrom('', '.', '.5', 'x'), digits(0, 22)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', '-'), fc.constantFrom('9223372036854775807', '9223372036854775808', '9223372036854775806', '10000000000000000000', '0000000000000000001')).map((p) => p.join('')),
  fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.constantFrom('00', '04', '96'), fc.constantFrom('02-28', '02-29', '02-30')).map(([c, y, md]) => `${pad(c, 2)}${y}-${md}`),
  fc.date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') }).chain((d) =>
    fc.constantFrom(d.toISOString(), d.toISOString().replace('T', ' ').replace('Z', '+08:00'), d.toISOString().replace('Z', '+25:99')),
  ),
  fc.constantFrom('true', 'false', '1', '0', 'TRUE', 'yes', '', '"', '""', 'a"b', '\u0000', 'x'.repeat(65_536), 'x'.repeat(65_537)),
);
const json = fc.oneof(text, fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.bigInt().map(Number), fc.constant([1]), fc.constant({}));

describe('parseValue', () => {
  it('checks CSV cells exactly as the regex-based first version did', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.option(text, { nil: undefined }), (f, raw) => {
        const expected = reference(f, raw, true);
        expect(parseValue(f, raw, true)).toEqual(expected);
        const cell = csvCellParser(f)(raw);
        expect(typeof cell === 'string' ? { ok: true, cell } : { ok: false, reason: cell.reason }).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('checks JSON values exactly as the regex-based first version did', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), json, (f, raw) => {
        expect(parseValue(f, raw, false)).toEqual(reference(f, raw, false));
      }),
      { numRuns: 20_000 },
    );
  });
});
