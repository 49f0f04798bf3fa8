// XLSX as Excel users need it, read back with ExcelJS (an independent reader): dates and timestamps are date values
// with a date format, http(s) URLs are hyperlinks, and anything that does not fit stays text.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { collectBytes, xlsxStream, type OutputColumn, type OutputRow } from './index.ts';
import { excelDate, excelTimestamp } from './xlsx.ts';

const columns: OutputColumn[] = [
  { name: 'name', type: 'string' },
  { name: 'established', type: 'date' },
  { name: 'updated', type: 'timestamp' },
  { name: 'site', type: 'string' },
  { name: 'link', type: 'url' },
];
const rows: OutputRow[] = [
  ['甲公司', '2020-01-31', '2026-11-21T16:30:00Z', 'https://example.org/a?b=1&c=2', 'http://gateway.test/portal/datasets/x'],
  // a masked date (month only), a date Excel cannot show, a non-URL and a javascript: "link" stay text
  ['乙公司', '2020-05', '1899-12-31', 'javascript:alert(1)', null],
  ['丙公司', '2021-02-30', 'not a time', 'see https://example.org', 'ftp://example.org/file'],
];

async function workbook(): Promise<ExcelJS.Worksheet> {
  const bytes = await collectBytes(xlsxStream(columns, [rows]));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('XLSX cells as Excel reads them', () => {
  it('writes dates as date values with a yyyy-mm-dd format', async () => {
    const cell = (await workbook()).getCell('B2');
    expect(cell.value).toEqual(new Date(Date.UTC(2020, 0, 31)));
    expect(cell.numFmt).toBe('yyyy-mm-dd');
    expect(cell.type).toBe(ExcelJS.ValueType.Date);
  });

  it('writes timestamps as the China wall clock, with the zone in the format', async () => {
    const cell = (await workbook()).getCell('C2');
    // 16:30 UTC is 00:30 the next day in China; spreadsheets have no zones, so the value is the wall clock
    expect(cell.value).toEqual(new Date(Date.UTC(2026, 10, 22, 0, 30)));
    expect(cell.numFmt).toContain('(UTC+8)');
  });

  it('makes http(s) URLs hyperlinks, in string and url columns alike', async () => {
    const sheet = await workbook();
    expect(sheet.getCell('D2').value).toEqual({ text: 'https://example.org/a?b=1&c=2', hyperlink: 'https://example.org/a?b=1&c=2' });
    expect(sheet.getCell('E2').hyperlink).toBe('http://gateway.test/portal/datasets/x');
    expect(sheet.getCell('E2').font?.underline).toBe(true);
  });

  it('leaves what does not fit as text', async () => {
    const sheet = await workbook();
    expect(sheet.getCell('B3').value).toBe('2020-05');
    expect(sheet.getCell('C3').value).toBe('1899-12-31');
    expect(sheet.getCell('B4').value).toBe('2021-02-30');
    expect(sheet.getCell('C4').value).toBe('not a time');
    for (const ref of ['D3', 'D4', 'E4']) expect(sheet.getCell(ref).type, ref).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('E3').value).toBeNull();
  });

  it('computes Excel serials as Excel does', () => {
    expect(excelDate('1900-03-01')).toBe(61);
    expect(excelDate('2026-01-01')).toBe(46023);
    expect(excelDate('1900-02-28')).toBeNull();
    expect(excelTimestamp('2026-01-01T00:00:00+08:00')).toBe(46023);
    expect(excelTimestamp('2026-01-01T04:00:00Z')).toBe(46023.5);
    expect(excelTimestamp('2026-01-01 04:00:00')).toBeNull();
  });
});
