// Loads on the load thread: the same result, refusals and roll-backs as loadDataset on the caller's thread. On the
// in-process PGlite of the default suite no thread can reach the database, so these tests use the embedded host
// (PGlite behind the wire protocol, as `npm start` runs it); on PostgreSQL they use the server.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { createReachableTestDatabase, type TestDatabase } from '../testing.ts';
import { getDataset, registerDataset } from './datasets.ts';
import { loadDataset } from './load-dataset.ts';
import { loadDatasetOffLoop } from './load-off-loop.ts';

let t: TestDatabase;

const definition = {
  code: 'people',
  name: '测试人口',
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
  ],
};

/** `rows` rows of CSV, cut into chunks of `chunk` bytes (as a socket would deliver them). */
function csvOf(rows: number, bad: number[] = []): string {
  let s = 'id,age,income\n';
  for (let i = 0; i < rows; i++) s += bad.includes(i) ? `p${i},old,1\n` : `p${i},${i % 97},${(i * 13) % 100000}.5\n`;
  return s;
}
const chunked = (text: string, chunk = 4096) => {
  const bytes = Buffer.from(text);
  return Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  })());
};
const version = async () => (await getDataset(t.database.db, 'people')).currentVersion?.version ?? null;

beforeAll(async () => {
  t = await createReachableTestDatabase();
  await registerDataset(t.database.db, definition);
}, 60_000);
afterAll(() => t.drop());

describe('loadDatasetOffLoop', () => {
  it('loads a large upload on the load thread: the same version, checksum and rows as on this thread', async () => {
    const text = csvOf(20_000);
    const places: string[] = [];
    const progress: number[] = [];
    const away = await loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: chunked(text), loadedBy: 's', onProgress: (rows) => progress.push(rows) }, { smallLoadBytes: 64 * 1024, onPlace: (p) => places.push(p) });
    expect(places).toEqual(['load-thread']);
    expect(away).toMatchObject({ code: 'people', rowCount: 20_000, byteCount: Buffer.byteLength(text), format: 'csv' });
    expect(progress.at(-1)).toBe(20_000);
    const here = await loadDataset(t.database, { code: 'people', format: 'csv', body: chunked(text), loadedBy: 's' });
    expect(here.checksum).toBe(away.checksum);
    expect(here.version).toBe(away.version + 1);
    const [a, b] = await Promise.all(
      [away.version, here.version].map((v) => t.database.sql.query<{ n: string; s: string }>(`SELECT count(*)::text AS n, sum(age)::text || '/' || sum(income)::text AS s FROM data."people_v${v}"`)),
    );
    expect(a).toEqual(b);
    expect(a![0]!.n).toBe('20000');
  }, 60_000);

  it('keeps a small upload on this thread', async () => {
    const places: string[] = [];
    const result = await loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: chunked(csvOf(10)), loadedBy: 's' }, { onPlace: (p) => places.push(p) });
    expect(places).toEqual(['here']);
    expect(result.rowCount).toBe(10);
  });

  it('refuses bad rows from the thread as loadDataset does (lines and fields, no values) and writes nothing', async () => {
    const before = await version();
    const err = await loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: chunked(csvOf(5_000, [10, 4_000])), loadedBy: 's' }, { smallLoadBytes: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('LOAD_REJECTED');
    expect((err as AppError).details?.errors).toEqual([
      { line: 12, field: 'age', reason: 'expected an integer' },
      { line: 4_002, field: 'age', reason: 'expected an integer' },
    ]);
    expect(JSON.stringify((err as AppError).details)).not.toContain('old');
    expect(await version()).toBe(before);
  });

  it('refuses an unknown dataset with its code', async () => {
    const err = await loadDatasetOffLoop(t.database, { code: 'nope', format: 'csv', body: chunked(csvOf(100)), loadedBy: 's' }, { smallLoadBytes: 0 }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('DATASET_NOT_FOUND');
  });

  it('rolls back when the upload breaks midway, gives the caller the upload\'s error, and the thread loads on', async () => {
    const before = await version();
    const text = Buffer.from(csvOf(20_000));
    async function* broken() {
      yield text.subarray(0, 200_000);
      throw new Error('client went away');
    }
    await expect(loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: broken(), loadedBy: 's' }, { smallLoadBytes: 1024 })).rejects.toThrow('client went away');
    expect(await version()).toBe(before);
    const next = await loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: chunked(text.toString()), loadedBy: 's' }, { smallLoadBytes: 1024 });
    expect(next.version).toBe((before ?? 0) + 1);
  }, 60_000);

  it('runs loads at once, each to its own version', async () => {
    const results = await Promise.all([1_000, 2_000, 3_000].map((n) => loadDatasetOffLoop(t.database, { code: 'people', format: 'csv', body: chunked(csvOf(n)), loadedBy: 's' }, { smallLoadBytes: 0 })));
    expect(results.map((r) => r.rowCount)).toEqual([1_000, 2_000, 3_000]);
    expect(new Set(results.map((r) => r.version)).size).toBe(3);
  }, 60_000);
});
