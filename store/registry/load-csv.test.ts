// CSV loads end to end: what lands in the table, for plain lines (passed to COPY as they are) and quoted ones.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { registerDataset } from './datasets.ts';
import { loadDataset } from './load-dataset.ts';

let t: TestDatabase;

const dataset = (code: string, fields: { name: string; type: string; nullable?: boolean }[]) => ({
  code,
  name: code,
  description: 'test',
  department: '测试局',
  departmentCode: '11100000000000000X',
  sourceSystem: 'test',
  updateCycle: 'monthly',
  grade: 'general',
  openType: 'conditional',
  fields: fields.map((f) => ({ description: f.name, ...f })),
});

beforeAll(async () => {
  t = await createTestDatabase();
  await registerDataset(
    t.database.db,
    dataset('texts', [
      { name: 'id', type: 'string', nullable: false },
      { name: 'txt', type: 'string' },
      { name: 'flag', type: 'boolean' },
      { name: 'num', type: 'integer' },
    ]),
  );
  await registerDataset(t.database.db, dataset('single', [{ name: 'v', type: 'string' }]));
});
afterAll(() => t.drop());

async function load(code: string, body: string | Buffer | Buffer[]) {
  const chunks = Array.isArray(body) ? body : [Buffer.from(body)];
  return loadDataset(t.database, { code, format: 'csv', body: Readable.from(chunks), loadedBy: 'test' });
}

async function texts(version: number) {
  const rows = await t.database.sql.query<{ id: string; txt: string | null; flag: boolean | null; num: string | null }>(
    `SELECT id, txt, flag, num::text AS num FROM data."texts_v${version}"`,
  );
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function problems(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).details?.errors as { line: number; field?: string; reason: string }[];
}

describe('loading CSV', () => {
  it('stores plain and quoted cells alike: spaces, backslashes, quotes, commas and line breaks kept', async () => {
    const csv = [
      'id,txt,flag,num',
      'a, two  words ,1,-7',
      'b,\\.,0,',
      'c,back\\slash\\,true,9223372036854775807',
      'd,"say ""hi"", then\r\nleave",false,1',
      'e,,,',
      '"f"," lead",,2',
    ].join('\n');
    const { version, rowCount } = await load('texts', csv);
    expect(rowCount).toBe(6);
    expect(await texts(version)).toEqual([
      { id: 'a', txt: ' two  words ', flag: true, num: '-7' },
      { id: 'b', txt: '\\.', flag: false, num: null },
      { id: 'c', txt: 'back\\slash\\', flag: true, num: '9223372036854775807' },
      { id: 'd', txt: 'say "hi", then\r\nleave', flag: false, num: '1' },
      { id: 'e', txt: null, flag: null, num: null },
      { id: 'f', txt: ' lead', flag: null, num: '2' },
    ]);
  });

  it('maps columns by name when the header has them in another order or leaves some out', async () => {
    const { version } = await load('texts', '\uFEFFnum,id\r\n5,x y\r\n,z\r\n');
    expect(await texts(version)).toEqual([
      { id: 'x y', txt: null, flag: null, num: '5' },
      { id: 'z', txt: null, flag: null, num: null },
    ]);
  });

  it('does not let a lone \\. end the data early', async () => {
    const { version, rowCount } = await load('single', 'v\na\n\\.\nb\n');
    expect(rowCount).toBe(3);
    const rows = await t.database.sql.query<{ v: string }>(`SELECT v FROM data."single_v${version}" ORDER BY v`);
    expect(rows.map((r) => r.v)).toEqual(['\\.', 'a', 'b']);
  });

  it('reads UTF-8 and UTF-16LE behind their byte order marks, however the bytes are cut', async () => {
    const bytewise = (b: Buffer) => Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1));
    const utf8 = Buffer.from('\uFEFFid,txt\n中,"文\n字"\n\uFEFF,x\n');
    const { version } = await load('texts', bytewise(utf8));
    // as bytes: PGlite drops a leading U+FEFF when it decodes results
    const rows = await t.database.sql.query(
      `SELECT encode(convert_to(id, 'UTF8'), 'hex') AS id, txt FROM data."texts_v${version}" ORDER BY 1`,
    );
    expect(rows).toEqual([
      { id: 'e4b8ad', txt: '文\n字' },
      { id: 'efbbbf', txt: 'x' },
    ]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,txt\n中,文\n', 'utf16le')]);
    for (const body of [utf16, bytewise(utf16)]) {
      const loaded = await load('texts', body);
      expect(await texts(loaded.version)).toEqual([{ id: '中', txt: '文', flag: null, num: null }]);
    }
  });

  it('numbers lines as the file does, counting line breaks inside quotes, whatever the chunks', async () => {
    const csv = 'id,num\n"a\nb",x\n\nc,1,2\n"d"\ne,"1"\nf,"2"x\ng,y\n';
    const expected = [
      { line: 3, field: 'num', reason: 'expected an integer' },
      { line: 5, reason: 'expected 2 columns, found 3' },
      { line: 6, reason: 'expected 2 columns, found 1' },
      { line: 8, reason: 'malformed CSV (unbalanced quotes or bad delimiter)' },
    ];
    expect(await problems(load('texts', csv))).toEqual(expected);
    const bytes = Buffer.from(csv);
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await problems(load('texts', pieces))).toEqual(expected);
    // as with csv-parse, a CRLF inside quotes counts as two lines; CRLF line ends count as one
    const crlf = await problems(load('texts', csv.replaceAll('\n', '\r\n')));
    expect(crlf.map((e) => e.line)).toEqual([4, 6, 7, 9]);
  });

  it('stores what csv-parse reads from any well-formed file', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\\', '.', ',', '"', '\n', '\r', '中'), maxLength: 8 });
    const row = fc.record({
      txt: text,
      flag: fc.constantFrom('', 'true', 'false', '1', '0'),
      num: fc.oneof(fc.constant(''), fc.integer().map(String)),
      quoted: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r'), async (rows, eol) => {
        const cell = (v: string, quoted: boolean) => (quoted || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
        const lines = rows.map((r, i) => [`r${i}`, cell(r.txt, r.quoted), r.flag, r.num].join(','));
        const { version } = await load('texts', ['id,txt,flag,num', ...lines].join(eol) + eol);
        const bool = (v: string) => (v === '' ? null : v === 'true' || v === '1');
        const expected = rows
          .map((r, i) => ({ id: `r${i}`, txt: r.txt === '' ? null : r.txt, flag: bool(r.flag), num: r.num === '' ? null : r.num }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        expect(await texts(version)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
