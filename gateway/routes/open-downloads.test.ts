// GET /open/datasets/{code}/download: formats, masking, fields, filters, validators, gzip, counts and bad input.
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskMobile, maskName } from '../../policies/index.ts';
import { createDownloadGateway, registryRow, type DownloadGateway } from './open-downloads.testing.ts';

let gw: DownloadGateway;
beforeAll(async () => {
  gw = await createDownloadGateway(30);
});
afterAll(() => gw.close());

const url = (query = '', code = 'test_registry') => `/open/datasets/${code}/download${query ? `?${query}` : ''}`;
const get = (query = '', headers: Record<string, string> = {}, code?: string) => gw.app.request(url(query, code), { headers });
const rows = Array.from({ length: 30 }, (_, i) => registryRow(i));
const RELEASED = ['reg_no', 'holder', 'mobile', 'amount', 'opened', 'active', 'district'];

/** Every raw personal value of the fixture: none may appear in any download. */
function expectNoRawPersonalValues(text: string) {
  for (const r of rows) {
    expect(text).not.toContain(r.holder);
    expect(text).not.toContain(r.mobile);
    expect(text).not.toContain(r.secret_note);
  }
  expect(text).not.toContain('secret_note');
}

function expectMasked(records: Record<string, unknown>[]) {
  expect(records).toHaveLength(30);
  records.forEach((rec, i) => {
    expect(Object.keys(rec)).toEqual(RELEASED);
    expect(rec.reg_no).toBe(rows[i]!.reg_no);
    expect(rec.holder).toBe(maskName(rows[i]!.holder));
    expect(rec.mobile).toBe(maskMobile(rows[i]!.mobile));
    expect(String(rec.district)).toBe(rows[i]!.district);
  });
}

describe('formats', () => {
  it('CSV: BOM, header of released fields, masked values, file names', async () => {
    const res = await get('format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toContain('filename="test_registry-v1.csv"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('测试登记信息')}-test_registry-v1.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expectNoRawPersonalValues(text);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expectMasked(records);
    expect(records[3]!.amount).toBe('31.5');
    expect(records[3]!.opened).toBe('2020-01-04');
    expect(records[3]!.active).toBe('false');
  });

  it('NDJSON and JSON: typed, masked values', async () => {
    const nd = await get('format=ndjson');
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const ndText = await nd.text();
    expectNoRawPersonalValues(ndText);
    const ndRecords = ndText.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expectMasked(ndRecords);
    expect(ndRecords[3]).toMatchObject({ amount: 31.5, active: false, opened: '2020-01-04' });

    const js = await get('format=json');
    const jsText = await js.text();
    expectNoRawPersonalValues(jsText);
    expect(JSON.parse(jsText)).toEqual(ndRecords);
  });

  it('XLSX: a workbook a reader opens, masked', async () => {
    const res = await get('format=xlsx');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const bytes = Buffer.from(await res.arrayBuffer());
    expectNoRawPersonalValues(strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!));
    const [sheet] = await readXlsxFile(bytes);
    const [header, ...data] = sheet!.data;
    expect(header).toEqual(RELEASED);
    expectMasked(data.map((r) => Object.fromEntries(RELEASED.map((n, i) => [n, r[i]]))));
    expect(data[3]![3]).toBe(31.5);
    // a date field is an Excel date (a reader hands back a Date), not text
    expect(data[3]![4]).toEqual(new Date('2020-01-04T00:00:00Z'));
  });
});

describe('fields and filters', () => {
  it('fields= selects released fields, in registry order', async () => {
    const res = await get('format=ndjson&fields=holder,reg_no');
    const first = JSON.parse((await res.text()).split('\n')[0]!);
    expect(first).toEqual({ reg_no: 'R000000', holder: maskName(rows[0]!.holder) });
  });

  it('fields= naming an unknown field is a 400 naming fields; a withheld one a 403', async () => {
    const unknown = await get('fields=reg_no,nope');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'BAD_REQUEST', parameter: 'fields', field: 'nope' });
    const withheld = await get('fields=secret_note');
    expect(withheld.status).toBe(403);
    const body = (await withheld.json()) as { parameter: string; detail: string };
    expect(body.parameter).toBe('fields');
    expect(body.detail).toContain('withheld');
    expect(JSON.stringify(body)).not.toContain('SECRET');
  });

  it('equality and range filters on unmasked fields', async () => {
    const west = JSON.parse(await (await get(`format=json&district=${encodeURIComponent('西湖区')}`)).text()) as { reg_no: string }[];
    expect(west.map((r) => r.reg_no)).toEqual(rows.filter((r) => r.district === '西湖区').map((r) => r.reg_no));
    const range = JSON.parse(await (await get('format=json&amount.gte=100&amount.lte=200')).text()) as { amount: number }[];
    expect(range.map((r) => r.amount)).toEqual(rows.map((r) => Number(r.amount)).filter((a) => a >= 100 && a <= 200));
    const day = JSON.parse(await (await get('format=json&opened=2020-01-05&active=true')).text()) as { reg_no: string }[];
    expect(day.map((r) => r.reg_no)).toEqual(rows.filter((r) => r.opened === '2020-01-05' && r.active === 'true').map((r) => r.reg_no));
  });

  it('a filter value is data, never SQL', async () => {
    const res = await get(`format=json&district=${encodeURIComponent("x' or '1'='1")}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toEqual([]);
  });

  it.each([
    ['nope=1', 'nope'],
    ['holder=x', 'holder'],
    ['secret_note=x', 'secret_note'],
    ['amount=abc', 'amount'],
    ['opened=2020-02-30', 'opened'],
    ['district.gte=a', 'district.gte'],
    ['amount.like=1', 'amount.like'],
    ['district=a&district=b', 'district'],
  ])('bad filter %s is a 400 naming %s', async (query, parameter) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'BAD_REQUEST', parameter });
  });
});

describe('bad input', () => {
  it('an unknown format is a 400 naming format', async () => {
    const res = await get('format=pdf');
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('"path":"format"');
  });
  it('an unknown dataset is a 404', async () => {
    expect((await get('', {}, 'no_such_dataset')).status).toBe(404);
  });
});

describe('validators and encoding', () => {
  it('ETag and Last-Modified answer 304; other fields, filters or format change the ETag', async () => {
    const res = await get('format=csv');
    await res.arrayBuffer();
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get('format=csv', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const since = await get('format=csv', { 'if-modified-since': res.headers.get('last-modified')! });
    expect(since.status).toBe(304);
    const tags = new Set([etag]);
    for (const q of ['format=ndjson', 'format=csv&fields=reg_no', 'format=csv&district=a']) {
      const other = await get(q, { 'if-none-match': etag });
      expect(other.status).toBe(200);
      await other.arrayBuffer();
      tags.add(other.headers.get('etag')!);
    }
    expect(tags.size).toBe(4);
  });

  it('gzip when asked, the same bytes inside', async () => {
    const plain = Buffer.from(await (await get('format=ndjson')).arrayBuffer());
    const res = await get('format=ndjson', { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).equals(plain)).toBe(true);
    const refused = await get('format=ndjson', { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers.get('content-encoding')).toBeNull();
    await refused.arrayBuffer();
  });

  it('counts completed downloads per dataset, day and format', async () => {
    const count = async () =>
      (await gw.testDb.database.sql.query<{ count: string | number }>(`select count from download_counts where dataset_code = 'test_registry' and format = 'xlsx'`))[0]?.count;
    const before = Number((await count()) ?? 0);
    await Promise.all([1, 2, 3].map(async () => (await get('format=xlsx')).arrayBuffer()));
    expect(Number(await count())).toBe(before + 3);
  });

  it('public downloads leave no audit entries', async () => {
    const [row] = await gw.testDb.database.sql.query<{ n: string | number }>(
      `select count(*) as n from audit_log where action like 'authz.download%' or action = 'open.download'`,
    );
    expect(Number(row!.n)).toBe(0);
  });
});
