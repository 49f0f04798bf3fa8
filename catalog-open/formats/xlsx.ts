// XLSX (Office Open XML SpreadsheetML) written as a stream: each sheet's XML is deflated into the zip as rows arrive,
// with inline strings (no shared-string table to hold in memory). A sheet holds at most 1,048,576 rows (Excel's
// limit); longer tables continue on the next sheet, each with the header row.
import { Zip, ZipDeflate } from 'fflate';
import type { FieldValue } from '../../store/index.ts';
import type { OutputColumn, RowBatches } from './types.ts';

/** Rows per sheet, header included: Excel's limit. */
export const XLSX_MAX_ROWS = 1_048_576;

export interface XlsxOptions {
  /** name of the first sheet (max 31 characters, no []:*?/\); later sheets add " (2)", " (3)" ... */
  sheetName?: string;
  /** rows per sheet including the header; for tests of the rollover */
  maxRowsPerSheet?: number;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

// characters XML 1.0 cannot carry at all: dropped rather than making the file unreadable
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

function textCell(ref: string, text: string, style = ''): string {
  // xml:space keeps leading and trailing blanks
  return `<c r="${ref}" t="inlineStr"${style}><is><t xml:space="preserve">${xmlEscape(text)}</t></is></c>`;
}

/** One cell; a missing value writes no cell at all (references keep the others in place). */
function cell(ref: string, value: FieldValue, numeric: boolean, boolean: boolean): string {
  if (value === null || value === undefined) return '';
  if (numeric && typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"><v>${value}</v></c>`;
  if (boolean && typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
  return textCell(ref, String(value));
}

function sheetName(base: string, index: number): string {
  const clean = base.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'data';
  if (index === 1) return clean;
  const suffix = ` (${index})`;
  return clean.slice(0, 31 - suffix.length) + suffix;
}

function contentTypes(sheets: number): string {
  const overrides = Array.from(
    { length: sheets },
    (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join('');
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    `${overrides}</Types>`
  );
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

// style 1: bold, for the header row
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '</styleSheet>';

function workbook(names: readonly string[]): string {
  const sheets = names.map((n, i) => `<sheet name="${xmlEscape(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets}</sheets></workbook>`;
}

function workbookRels(sheets: number): string {
  const rels = Array.from(
    { length: sheets },
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
}

/** The table as an XLSX file's bytes, produced as rows arrive: memory stays bounded by one batch and the deflater. */
export async function* xlsxStream(columns: readonly OutputColumn[], batches: RowBatches, options: XlsxOptions = {}): AsyncGenerator<Uint8Array> {
  const maxRows = options.maxRowsPerSheet ?? XLSX_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 2 || maxRows > XLSX_MAX_ROWS) throw new TypeError('maxRowsPerSheet out of range');
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  // ZipDeflate (not AsyncZipDeflate) compresses synchronously inside push(), so chunks are ready to yield after it
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.push(data);
  });
  const encoder = new TextEncoder();
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  }
  const addWhole = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(encoder.encode(text), true);
  };

  const numeric = columns.map((c) => c.type === 'integer' || c.type === 'decimal');
  const bools = columns.map((c) => c.type === 'boolean');
  const letters = columns.map((_, i) => columnLetters(i));
  const header = `<row r="1">${columns.map((c, i) => textCell(`${letters[i]}1`, c.name, ' s="1"')).join('')}</row>`;
  const names: string[] = [];
  let sheet: ZipDeflate | null = null;
  let rowsInSheet = 0;
  const openSheet = () => {
    names.push(sheetName(options.sheetName ?? 'data', names.length + 1));
    // level 1: the sheet is most of the bytes, and fast deflate keeps the stream near CSV speed
    sheet = new ZipDeflate(`xl/worksheets/sheet${names.length}.xml`, { level: 1 });
    zip.add(sheet);
    sheet.push(encoder.encode(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${header}`));
    rowsInSheet = 1;
  };
  const closeSheet = () => {
    sheet!.push(encoder.encode('</sheetData></worksheet>'), true);
    sheet = null;
  };

  addWhole('_rels/.rels', ROOT_RELS);
  addWhole('xl/styles.xml', STYLES);
  openSheet();
  yield* drain();
  for await (const batch of batches) {
    let text = '';
    for (const row of batch) {
      if (rowsInSheet >= maxRows) {
        if (text) sheet!.push(encoder.encode(text));
        text = '';
        closeSheet();
        openSheet();
      }
      rowsInSheet++;
      let line = `<row r="${rowsInSheet}">`;
      for (let i = 0; i < columns.length; i++) line += cell(`${letters[i]}${rowsInSheet}`, row[i] ?? null, numeric[i]!, bools[i]!);
      text += `${line}</row>`;
    }
    if (text) sheet!.push(encoder.encode(text));
    yield* drain();
  }
  closeSheet();
  addWhole('xl/workbook.xml', workbook(names));
  addWhole('xl/_rels/workbook.xml.rels', workbookRels(names.length));
  addWhole('[Content_Types].xml', contentTypes(names.length));
  zip.end();
  yield* drain();
}
