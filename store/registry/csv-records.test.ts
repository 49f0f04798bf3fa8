import { CsvError, parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecords, CsvSyntaxError } from './csv-records.ts';

type Outcome = { records: [string[], number][] } | { errorLine: number };

/** What our parser makes of `text` fed in pieces cut at `cuts`. */
function ours(text: string, cuts: number[] = []): Outcome {
  const parser = new CsvRecords();
  const records: [string[], number][] = [];
  const drain = () => {
    for (let r = parser.next(); r !== undefined; r = parser.next()) records.push([r, parser.line]);
  };
  try {
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      parser.push(text.slice(from, cut));
      drain();
      from = Math.max(from, cut);
    }
    parser.push(text.slice(from));
    drain();
    parser.end();
    drain();
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return { errorLine: err.line };
  }
  return { records };
}

/** What csv-parse, as the loader used it, makes of `text`. */
function reference(text: string): Outcome {
  try {
    const rows = parse(Buffer.from(text), { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return { records: rows.map((r) => [r.record, r.info.lines]) };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { errorLine: (err as unknown as { lines: number }).lines };
  }
}

const cutsOf = (text: string) => fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 6 });

/** Text made of CSV's special characters and a few ordinary ones: mostly malformed, every edge reachable. */
const noisy = fc
  .array(fc.constantFrom('a', 'b', ' ', '中', ',', '"', '""', '\n', '\r', '\r\n', '\u0000'), { maxLength: 40 })
  .map((parts) => parts.join(''));

const fieldText = fc.array(fc.constantFrom('x', 'y', ' ', '中', ',', '"', '\n', '\r', '\r\n', '\u0000'), { maxLength: 6 }).map((p) => p.join(''));

/** Well-formed CSV (quoted where needed, sometimes where not) with any of the three line ends, mixed at times. */
const wellFormed = fc
  .tuple(
    fc.array(fc.array(fc.tuple(fieldText, fc.boolean()), { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
    fc.array(fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n'), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([rows, ends, trailing]) =>
    rows
      .map((fields, r) => {
        const line = fields
          .map(([f, quoted]) => (quoted || /[",\r\n\u0000]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f))
          .join(',');
        return line + (r < rows.length - 1 || trailing ? ends[r % ends.length]! : '');
      })
      .join(''),
  );

describe('CsvRecords', () => {
  it.each([
    ['a,b\n1,2\n', { records: [[['a', 'b'], 1], [['1', '2'], 2]] }],
    // a CRLF inside quotes counts as two lines, as in csv-parse
    ['a\r\n"x\r\ny",z\r\n\r\n\r\nq', { records: [[['a'], 1], [['x\r\ny', 'z'], 4], [['q'], 7]] }],
    ['a\nb\r\nc', { records: [[['a'], 1], [['b\r'], 3], [['c'], 4]] }],
    ['"a"\u0000b,c', { records: [[['a\u0000b', 'c'], 1]] }],
    ['"a ""b"", c",\n', { records: [[['a "b", c', ''], 1]] }],
    ['a\nb"c\n', { errorLine: 2 }],
    ['a\n"b"c\n', { errorLine: 2 }],
    ['a\n"b\n\n', { errorLine: 3 }],
    ['', { records: [] }],
    ['\n\n', { records: [] }],
  ] as [string, Outcome][])('reads %j', (text, expected) => {
    expect(ours(text)).toEqual(expected);
    expect(reference(text)).toEqual(expected);
  });

  it('reads what csv-parse reads, with the same line numbers and errors, however the text is cut', () => {
    for (const texts of [noisy, wellFormed]) {
      fc.assert(
        fc.property(
          texts.chain((text) => fc.tuple(fc.constant(text), cutsOf(text))),
          ([text, cuts]) => {
            expect(ours(text, cuts)).toEqual(reference(text));
          },
        ),
        { numRuns: 3000 },
      );
    }
  });

  it('reads long fields and long files in small pieces in linear time', () => {
    const big = `"${'x'.repeat(2_000_000)}"\n`;
    const text = `h\n${big}${'abc\n'.repeat(200_000)}`;
    const parser = new CsvRecords();
    let count = 0;
    const start = performance.now();
    for (let i = 0; i < text.length; i += 100) {
      parser.push(text.slice(i, i + 100));
      while (parser.next()) count++;
    }
    parser.end();
    while (parser.next()) count++;
    expect(count).toBe(200_002);
    expect(parser.line).toBe(200_002);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
