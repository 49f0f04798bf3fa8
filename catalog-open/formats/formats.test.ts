import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { columnLetters } from './xlsx.ts';
import { collectBytes, csvStream, jsonStream, ndjsonStream, writeRows, xlsxStream, type OutputColumn, type OutputRow } from './index.ts';

const columns: OutputColumn[] = [
  { name: 'name', type: 'string' },
  { name: 'count', type: 'integer' },
  { name: 'ok', type: 'boolean' },
  { name: 'note', type: 'string' },
];
const rows: OutputRow[] = [
  ['企业登记信息', 3, true, 'plain'],
  ['a "quoted", comma', 4.5, false, 'line\nbreak'],
  ['=cmd()', null, null, '  blanks  '],
  ['<tag> & amp', -1, true, '\u0001ctrl'],
];
const batches = [rows.slice(0, 2), [], rows.slice(2)];
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('csvStream', () => {
  it('starts with the UTF-8 BOM and round-trips RFC 4180 quoting', async () => {
    const bytes = await collectBytes(csvStream(columns, batches));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(Buffer.from(bytes), { bom: true }) as string[][];
    expect(records[0]).toEqual(['name', 'count', 'ok', 'note']);
    expect(records[1]).toEqual(['企业登记信息', '3', 'true', 'plain']);
    expect(records[2]).toEqual(['a "quoted", comma', '4.5', 'false', 'line\nbreak']);
    // a formula-looking text cell is defused for spreadsheets; null is the empty field
    expect(records[3]).toEqual(["'=cmd()", '', '', '  blanks  ']);
    expect(text(bytes)).toContain('\r\n');
  });
  it('writes no BOM when asked', async () => {
    const bytes = await collectBytes(csvStream(columns, [], { bom: false }));
    expect(text(bytes)).toBe('name,count,ok,note\r\n');
  });
});

describe('ndjsonStream and jsonStream', () => {
  it('write the same objects', async () => {
    const expected = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]])));
    const nd = text(await collectBytes(ndjsonStream(columns, batches))).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(nd).toEqual(expected);
    expect(JSON.parse(text(await collectBytes(jsonStream(columns, batches))))).toEqual(expected);
    expect(JSON.parse(text(await collectBytes(jsonStream(columns, []))))).toEqual([]);
  });
});

describe('xlsxStream', () => {
  it('is a workbook a reader opens, with typed cells', async () => {
    const bytes = await collectBytes(xlsxStream(columns, batches, { sheetName: '企业' }));
    const sheets = await readXlsxFile(Buffer.from(bytes));
    expect(sheets).toHaveLength(1);
    expect(sheets[0]!.sheet).toBe('企业');
    const data = sheets[0]!.data;
    expect(data[0]).toEqual(['name', 'count', 'ok', 'note']);
    expect(data[1]).toEqual(['企业登记信息', 3, true, 'plain']);
    expect(data[2]).toEqual(['a "quoted", comma', 4.5, false, 'line\nbreak']);
    expect(data[3]?.[0]).toBe('=cmd()');
    expect(data[4]).toEqual(['<tag> & amp', -1, true, 'ctrl']);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort(),
    );
    expect(strFromU8(files['xl/worksheets/sheet1.xml']!)).toContain('&lt;tag&gt; &amp; amp');
  });
  it('continues on a new sheet past the row limit, each with the header', async () => {
    const many: OutputRow[] = Array.from({ length: 7 }, (_, i) => [`r${i}`, i, true, '']);
    const bytes = await collectBytes(xlsxStream(columns, [many.slice(0, 4), many.slice(4)], { maxRowsPerSheet: 3 }));
    const sheets = await readXlsxFile(Buffer.from(bytes));
    expect(sheets.map((s) => s.sheet)).toEqual(['data', 'data (2)', 'data (3)', 'data (4)']);
    expect(sheets.map((s) => s.data.length)).toEqual([3, 3, 3, 2]);
    expect(sheets.every((s) => s.data[0]![0] === 'name')).toBe(true);
    expect(sheets.flatMap((s) => s.data.slice(1).map((r) => r[0]))).toEqual(many.map((r) => r[0]));
  });
});

describe('columnLetters', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('writeRows', () => {
  it('refuses an unknown format as a programming mistake', () => {
    expect(() => writeRows('pdf' as never, columns, [])).toThrow(TypeError);
  });
});
