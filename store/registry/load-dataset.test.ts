import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { getDataset, listDatasetVersions, registerDataset } from './datasets.ts';
import { loadDataset } from './load-dataset.ts';

let t: TestDatabase;

const definition = {
  code: 'residents',
  name: '测试居民',
  description: 'test',
  department: '测试局',
  departmentCode: '11100000000000000X',
  sourceSystem: 'test',
  updateCycle: 'monthly',
  grade: 'general',
  openType: 'conditional',
  fields: [
    { name: 'id', type: 'string', description: 'id', nullable: false },
    { name: 'age', type: 'integer', description: 'age' },
    { name: 'income', type: 'decimal', description: 'income' },
    { name: 'born', type: 'date', description: 'birth date' },
    { name: 'active', type: 'boolean', description: 'active' },
  ],
};

const body = (text: string) => Readable.from([Buffer.from(text)]);

async function rowsOf(code: string) {
  const record = await getDataset(t.database.db, code);
  const version = record.currentVersion?.version;
  return t.database.sql.query<Record<string, unknown>>(
    `SELECT id, age::int AS age, income::text AS income, born::text AS born, active FROM data."${code}_v${version}" ORDER BY id`,
  );
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await registerDataset(t.database.db, definition);
});
afterAll(() => t.drop());

describe('loadDataset', () => {
  it('loads CSV with a header in any column order, typed, and records a version with checksum', async () => {
    const csv = 'age,id,income,born,active\n34,"a,1",1200.50,1990-02-28,true\n,b2,,,0\n';
    const result = await loadDataset(t.database, { code: 'residents', format: 'csv', body: body(csv), loadedBy: 'steward' });
    expect(result).toMatchObject({ version: 1, rowCount: 2, byteCount: Buffer.byteLength(csv) });
    expect(result.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await rowsOf('residents')).toEqual([
      { id: 'a,1', age: 34, income: '1200.50', born: '1990-02-28', active: true },
      { id: 'b2', age: null, income: null, born: null, active: false },
    ]);
    const record = await getDataset(t.database.db, 'residents');
    expect(record.currentVersion).toMatchObject({ version: 1, rowCount: 2, checksum: result.checksum });
  });

  it('loads NDJSON as the next version', async () => {
    const ndjson = '{"id":"c3","age":7,"income":99.5,"born":"2017-01-01","active":false}\n\n{"id":"d4"}\n';
    const result = await loadDataset(t.database, { code: 'residents', format: 'ndjson', body: body(ndjson), loadedBy: 'steward' });
    expect(result).toMatchObject({ version: 2, rowCount: 2 });
    expect((await rowsOf('residents')).map((r) => r.id)).toEqual(['c3', 'd4']);
  });

  it('refuses a load with bad rows, naming lines and fields but not values, and loads nothing', async () => {
    const csv = 'id,age,born\nok1,5,2000-01-01\nbad,five,2000-01-01\nbad2,6,2001-02-30\n,7,2000-01-01\n';
    const err = await rejection(loadDataset(t.database, { code: 'residents', format: 'csv', body: body(csv), loadedBy: 'steward' }));
    expect(err.code).toBe('LOAD_REJECTED');
    expect(err.details?.errors).toEqual([
      { line: 3, field: 'age', reason: 'expected an integer' },
      { line: 4, field: 'born', reason: 'expected a date YYYY-MM-DD' },
      { line: 5, field: 'id', reason: 'required value missing' },
    ]);
    expect(JSON.stringify(err.details)).not.toContain('five');
    const versions = await listDatasetVersions(t.database.db, 'residents');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const tables = await t.database.sql.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'data' AND tablename = 'residents_v3'`);
    expect(tables).toHaveLength(0);
  });

  it('refuses unknown and missing required columns, wrong column counts, bad JSON and malformed CSV', async () => {
    const header = await rejection(
      loadDataset(t.database, { code: 'residents', format: 'csv', body: body('age,nickname\n1,x\n'), loadedBy: 's' }),
    );
    expect(header.details?.errors).toEqual([
      { line: 1, field: 'nickname', reason: 'unknown column' },
      { line: 1, field: 'id', reason: 'required column missing' },
    ]);
    const counts = await rejection(
      loadDataset(t.database, { code: 'residents', format: 'csv', body: body('id,age\na,1\nb\n'), loadedBy: 's' }),
    );
    expect(counts.details?.errors).toEqual([{ line: 3, reason: 'expected 2 columns, found 1' }]);
    const json = await rejection(
      loadDataset(t.database, { code: 'residents', format: 'ndjson', body: body('{"id":"a"}\n{oops\n[1]\n{"id":"b","x":1}\n'), loadedBy: 's' }),
    );
    expect(json.details?.errors).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'expected a JSON object' },
      { line: 4, field: 'x', reason: 'unknown field' },
    ]);
    const quotes = await rejection(
      loadDataset(t.database, { code: 'residents', format: 'csv', body: body('id,age\n"a,1\n'), loadedBy: 's' }),
    );
    expect(quotes.code).toBe('LOAD_REJECTED');
  });

  it('refuses an unknown dataset', async () => {
    const err = await rejection(loadDataset(t.database, { code: 'nope', format: 'csv', body: body('id\n1\n'), loadedBy: 's' }));
    expect(err.code).toBe('DATASET_NOT_FOUND');
  });

  it.each([
    ['csv', 'id,age\nx1,1\n'],
    ['ndjson', '{"id":"x1"}\n'],
  ] as const)('rolls back when a %s upload stream fails midway', async (format, start) => {
    async function* broken() {
      yield Buffer.from(start);
      throw new Error('client went away');
    }
    await expect(loadDataset(t.database, { code: 'residents', format, body: broken(), loadedBy: 's' })).rejects.toThrow();
    const record = await getDataset(t.database.db, 'residents');
    expect(record.currentVersion?.version).toBe(2);
  });

  it('keeps only the newest versions\' tables', async () => {
    for (let i = 0; i < 3; i++) {
      await loadDataset(t.database, { code: 'residents', format: 'csv', body: body(`id\nv${i}\n`), loadedBy: 's', versionsKept: 2 });
    }
    const versions = await listDatasetVersions(t.database.db, 'residents');
    expect(versions.filter((v) => v.physicalTable !== null).map((v) => v.version)).toEqual([4, 5]);
    expect(versions.find((v) => v.version === 1)?.retiredAt).toBeInstanceOf(Date);
  });
});
