// XLSX (Office Open XML SpreadsheetML) written as a stream: each sheet's XML is deflated into the zip as rows arrive,
// with inline strings (no shared-string table to hold in memory). A sheet holds at most 1,048,576 rows (Excel's
// limit); longer tables continue on the next sheet, each with the header row. Dates and timestamps are Excel date
// values with a date format (so they sort, filter and compute as dates); http(s) URLs are hyperlinks.
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

/** Hyperlinks per worksheet: Excel's own limit (it refuses to open a sheet with more); past it, URLs stay text. */
export const XLSX_MAX_LINKS = 65_530;
/** Excel's longest hyperlink address. */
const MAX_URL_LENGTH = 2079;
const URL = /^https?:\/\/[^\s"<>]+$/;

// cell styles (cellXfs below): 1 bold header, 2 date, 3 date and time (China Standard Time, labelled), 4 hyperlink
const STYLE = { header: 1, date: 2, timestamp: 3, link: 4 } as const;
const DAY_MS = 86_400_000;
/** Excel's day 0 for the 1900 date system (1899-12-30, which absorbs its 1900 leap-year bug from March 1900 on). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const FIRST_SAFE_DAY = Date.UTC(1900, 2, 1);
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An Excel serial day for a YYYY-MM-DD calendar date; null when it is not one or Excel cannot show it. */
export function excelDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(t);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3]) || t < FIRST_SAFE_DAY) return null;
  return (t - EXCEL_EPOCH) / DAY_MS;
}

/**
 * An Excel serial for an ISO timestamp with a zone (Z or ±hh:mm), as the wall clock in China (UTC+8): spreadsheets
 * have no time zones, so the platform's one zone is used and the format says so. Null when it is not a timestamp.
 */
export function excelTimestamp(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const t = Date.parse(text);
  if (Number.isNaN(t) || t + CHINA_OFFSET_MS < FIRST_SAFE_DAY) return null;
  return Math.round(((t + CHINA_OFFSET_MS - EXCEL_EPOCH) / DAY_MS) * 86_400) / 86_400;
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

type CellKind = 'number' | 'boolean' | 'date' | 'timestamp' | 'text';

const kindOf = (type: OutputColumn['type']): CellKind =>
  type === 'integer' || type === 'decimal' ? 'number' : type === 'boolean' ? 'boolean' : type === 'date' ? 'date' : type === 'timestamp' ? 'timestamp' : 'text';

/** The hyperlinks of the sheet being written: cell reference and target. */
type Links = { ref: string; url: string }[];

/**
 * One cell; a missing value writes no cell at all (references keep the others in place). A value that does not fit
 * its column's kind (a masked date such as `2020-05`) is written as text, never dropped.
 */
function cell(ref: string, value: FieldValue, kind: CellKind, links: Links): string {
  if (value === null || value === undefined) return '';
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"><v>${value}</v></c>`;
  if (kind === 'boolean' && typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = String(value);
  if (kind === 'date' || kind === 'timestamp') {
    const serial = kind === 'date' ? excelDate(text) : excelTimestamp(text);
    if (serial !== null) return `<c r="${ref}" s="${kind === 'date' ? STYLE.date : STYLE.timestamp}"><v>${serial}</v></c>`;
  }
  if (typeof value === 'string' && text.length <= MAX_URL_LENGTH && URL.test(text) && links.length < XLSX_MAX_LINKS) {
    links.push({ ref, url: text });
    return textCell(ref, text, ` s="${STYLE.link}"`);
  }
  return textCell(ref, text);
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

// cellXfs in STYLE order: 0 plain, 1 bold header, 2 date, 3 date and time (UTC+8), 4 hyperlink (blue, underlined)
const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss&quot; (UTC+8)&quot;"/></numFmts>' +
  '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>' +
  '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '</styleSheet>';

/** The sheet's hyperlinks element and its relationships (external targets), or nothing without links. */
function hyperlinkParts(links: Links): { element: string; rels: string | null } {
  if (links.length === 0) return { element: '', rels: null };
  const element = `<hyperlinks>${links.map((l, i) => `<hyperlink ref="${l.ref}" r:id="rId${i + 1}"/>`).join('')}</hyperlinks>`;
  const rels =
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
    links.map((l, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/hyperlink" Target="${xmlEscape(l.url)}" TargetMode="External"/>`).join('') +
    '</Relationships>';
  return { element, rels };
}

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

  const kinds = columns.map((c) => kindOf(c.type));
  const letters = columns.map((_, i) => columnLetters(i));
  const header = `<row r="1">${columns.map((c, i) => textCell(`${letters[i]}1`, c.name, ` s="${STYLE.header}"`)).join('')}</row>`;
  // wide enough for a date and time with its zone label; text columns keep Excel's default width
  const widths = kinds.map((k, i) => (k === 'date' ? `<col min="${i + 1}" max="${i + 1}" width="12" customWidth="1"/>` : k === 'timestamp' ? `<col min="${i + 1}" max="${i + 1}" width="28" customWidth="1"/>` : '')).join('');
  const names: string[] = [];
  let sheet: ZipDeflate | null = null;
  let rowsInSheet = 0;
  // memory: at most XLSX_MAX_LINKS references per sheet, written when the sheet closes
  let links: Links = [];
  const openSheet = () => {
    names.push(sheetName(options.sheetName ?? 'data', names.length + 1));
    // level 1: the sheet is most of the bytes, and fast deflate keeps the stream near CSV speed
    sheet = new ZipDeflate(`xl/worksheets/sheet${names.length}.xml`, { level: 1 });
    zip.add(sheet);
    sheet.push(
      encoder.encode(
        `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
          `${widths ? `<cols>${widths}</cols>` : ''}<sheetData>${header}`,
      ),
    );
    rowsInSheet = 1;
    links = [];
  };
  const closeSheet = () => {
    const { element, rels } = hyperlinkParts(links);
    sheet!.push(encoder.encode(`</sheetData>${element}</worksheet>`), true);
    if (rels) addWhole(`xl/worksheets/_rels/sheet${names.length}.xml.rels`, rels);
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
      for (let i = 0; i < columns.length; i++) line += cell(`${letters[i]}${rowsInSheet}`, row[i] ?? null, kinds[i]!, links);
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
