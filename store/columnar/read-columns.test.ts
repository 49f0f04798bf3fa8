// readColumns on the engine under test: every row once, typed, nulls kept, text dictionary-encoded, rows identified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import type { BatchColumn, ColumnBatch } from './binary-copy.ts';
import { readColumns } from './read-columns.ts';

let t: TestDatabase;
const N = 30_000;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.sql.query('create table columnar_test (n bigint, x numeric, s text, d date, b boolean, raw text)');
  await t.database.sql.query(
    `insert into columnar_test select i, case when i % 11 = 0 then null else i / 4.0 end,
       case when i % 7 = 0 then null else 'v' || (i % 50) || E'\\t区' end,
       case when i % 13 = 0 then null else date '1970-01-01' + (i % 400) end, i % 2 = 0, 'id' || i
     from generate_series(1, ${N}) i`,
  );
});
afterAll(() => t.drop());

const columns = [
  { expression: 'ctid', kind: 'tid' },
  { expression: '"n"::float8', kind: 'float8' },
  { expression: '"x"::float8', kind: 'float8' },
  { expression: '"s"', kind: 'text' },
  { expression: '"d"', kind: 'date' },
  { expression: '"b"', kind: 'bool' },
  { expression: '"raw"', kind: 'bytes' },
] as const;

const pick = <K extends BatchColumn['kind']>(batch: ColumnBatch, i: number, kind: K) => batch.columns[i] as Extract<BatchColumn, { kind: K }>;

describe('readColumns', () => {
  it('streams every row once in several batches, each type exact, missing values marked', async () => {
    const reader = readColumns(t.database, { table: 'columnar_test', columns, batchRows: 4096, pagesPerStatement: 16 });
    const seen = new Map<number, { x: number; s: string | null; d: number; b: number; raw: string; tid: number }>();
    let batches = 0;
    for await (const batch of reader) {
      batches++;
      const dictionary = reader.dictionary(3);
      for (let r = 0; r < batch.rows; r++) {
        const n = pick(batch, 1, 'float8').values[r]!;
        const code = pick(batch, 3, 'text').codes[r]!;
        const bytes = pick(batch, 6, 'bytes');
        seen.set(n, {
          tid: pick(batch, 0, 'tid').ids[r]!,
          x: pick(batch, 2, 'float8').values[r]!,
          s: code < 0 ? null : dictionary[code]!,
          d: pick(batch, 4, 'date').days[r]!,
          b: pick(batch, 5, 'bool').values[r]!,
          raw: Buffer.from(bytes.bytes.subarray(bytes.offsets[r]!, bytes.offsets[r + 1]!)).toString(),
        });
      }
    }
    expect(batches).toBeGreaterThan(3);
    expect(seen.size).toBe(N);
    expect(new Set([...seen.values()].map((v) => v.tid)).size).toBe(N);
    expect(seen.get(22)).toMatchObject({ x: NaN, s: 'v22\t区', d: 22, b: 1, raw: 'id22' });
    expect(seen.get(21)).toMatchObject({ x: 5.25, s: null, b: 0 });
    expect(seen.get(26)!.d).toBe(-0x80000000);
    expect(reader.dictionary(3)).toHaveLength(50);
  });

  it('reads an empty table and stops early without leaving the database stuck', async () => {
    await t.database.sql.query('create table columnar_empty (n bigint)');
    const empty: ColumnBatch[] = [];
    for await (const b of readColumns(t.database, { table: 'columnar_empty', columns: [{ expression: 'n::float8', kind: 'float8' }] })) empty.push(b);
    expect(empty).toEqual([]);
    for await (const b of readColumns(t.database, { table: 'columnar_test', columns: [{ expression: 'n::float8', kind: 'float8' }], batchRows: 100 })) {
      expect(b.rows).toBe(100);
      break;
    }
    expect(await t.database.sql.query('select count(*)::int as n from columnar_test')).toEqual([{ n: N }]);
  });
});
