// scanTable on the engine under test: every row once, in batches, filters bound; COPY text parsed exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopyText, scanTable } from './scan-table.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.sql.query('create table scan_test (n bigint, s text, b boolean)');
  await t.database.sql.query(
    `insert into scan_test select i, case when i % 7 = 0 then null else 'v' || i || E'\\t\\\\x\\n' end, i % 2 = 0 from generate_series(1, 20000) i`,
  );
});
afterAll(() => t.drop());

const collect = async (it: AsyncIterable<unknown[][]>) => {
  const batches: unknown[][][] = [];
  for await (const b of it) batches.push(b);
  return batches;
};

describe('scanTable', () => {
  it('reads every row once, in several batches, with and without COPY', async () => {
    for (const kinds of [undefined, ['number', 'text', 'boolean'] as const]) {
      const batches = await collect(scanTable(t.database, { table: 'scan_test', select: 'n::float8, s, b', batchRows: 3000, batchPages: 16, kinds }));
      expect(batches.length).toBeGreaterThan(1);
      const rows = batches.flat();
      expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
      expect(rows[6]).toEqual([7, null, false]);
      expect(rows[9]).toEqual([10, 'v10\t\\x\n', true]);
    }
  });

  it('binds filter values', async () => {
    const rows = (await collect(scanTable(t.database, { table: 'scan_test', select: 'n::float8', where: 'n >= $1::bigint and s = $2::text', params: ['19990', "v19998\t\\x\n"], kinds: ['number'] }))).flat();
    expect(rows).toEqual([[19998]]);
  });

  it('stopping early leaves nothing open', async () => {
    for await (const batch of scanTable(t.database, { table: 'scan_test', select: 'n', batchRows: 1000, batchPages: 8 })) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    const [row] = await t.database.sql.query<{ n: string | number }>(`select count(*) as n from pg_cursors where name <> ''`);
    expect(Number(row!.n)).toBe(0);
  });
});

describe('parseCopyText', () => {
  it('undoes escapes, reads nulls and kinds', () => {
    expect(parseCopyText('1\ta\\\\b\\tc\tt\n\\N\t\\N\tf\n', ['number', 'text', 'boolean'])).toEqual([
      [1, 'a\\b\tc', true],
      [null, null, false],
    ]);
  });
});
