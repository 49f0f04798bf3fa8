// What PostgreSQL itself does with the same data, in the same run: COPY FROM STDIN of the same CSV into a plain table,
// the job's aggregate as one GROUP BY, a COPY … TO of the job's three columns, and our columnar read of them (the
// first stage of a job, timed alone for the breakdown).
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type postgres from 'postgres';
import { DATASETS } from '../../data/index.ts';
import { createTableStatement, getDataset, openDatabase, readColumns, versionTable, type Database } from '../../store/index.ts';

const definition = DATASETS.population.definition;
const columns = definition.fields.map((f) => `"${f.name}"`).join(', ');

export interface Baselines {
  /** seconds for PostgreSQL's own COPY FROM STDIN of `csvFile` into a fresh plain table (dropped after) */
  copyIn(csvFile: string): Promise<number>;
  /** seconds for the income-by-age-band aggregate as one GROUP BY over the current version */
  groupBy(): Promise<number>;
  /** seconds to COPY the three columns of the current version TO STDOUT (binary) and drain them here */
  copyOut(): Promise<number>;
  /** seconds for the platform's columnar read (store/columnar) of the job's columns and its contributor id */
  columnarRead(): Promise<{ seconds: number; rows: number }>;
  close(): Promise<void>;
}

const timed = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
};

export function postgresBaselines(url: string): Baselines {
  let opened: Promise<Database> | undefined;
  const db = () => (opened ??= openDatabase({ url }));
  const client = async () => ((await db()).db as unknown as { $client: postgres.Sql }).$client;
  const current = async () => {
    const d = await db();
    const dataset = await getDataset(d.db, 'population');
    if (!dataset.currentVersion) throw new Error('population has no data loaded');
    return (await versionTable(d.db, 'population', dataset.currentVersion.version)).table;
  };
  let n = 0;
  return {
    async copyIn(csvFile) {
      const sql = await client();
      const table = `bench_scale_raw_${process.pid}_${n++}`;
      await sql.unsafe(createTableStatement(table, definition.fields));
      try {
        return await timed(async () => {
          const writable = await sql.unsafe(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv, HEADER)`).writable();
          await pipeline(createReadStream(csvFile, { highWaterMark: 1 << 20 }), writable);
        });
      } finally {
        await sql.unsafe(`DROP TABLE ${table}`);
      }
    },
    async groupBy() {
      const sql = await client();
      const table = await current();
      // the model's rule: age in whole years on the as-of day (today), bands from 18; people without an income left out
      return timed(() =>
        sql.unsafe(`SELECT CASE WHEN a >= 60 THEN '60+' WHEN a >= 45 THEN '45-59' WHEN a >= 30 THEN '30-44' ELSE '18-29' END AS band,
                      count(*), avg(annual_income)
                    FROM (SELECT extract(year FROM age(current_date, birth_date)) AS a, annual_income FROM ${table}
                          WHERE annual_income IS NOT NULL) s
                    WHERE a >= 18 GROUP BY 1`),
      );
    },
    async copyOut() {
      const sql = await client();
      const table = await current();
      return timed(async () => {
        const readable = await sql.unsafe(`COPY ${table} ("region_code", "birth_date", "annual_income") TO STDOUT (FORMAT binary)`).readable();
        await pipeline(readable, new Writable({ write: (_chunk, _enc, done) => done() }));
      });
    },
    async columnarRead() {
      const d = await db();
      const table = await current();
      let rows = 0;
      const seconds = await timed(async () => {
        const reader = readColumns(d, {
          table,
          columns: [
            { expression: 'ctid', kind: 'tid' },
            { expression: '"region_code"', kind: 'text' },
            { expression: '"birth_date"', kind: 'date' },
            { expression: '"annual_income"::float8', kind: 'float8' },
            { expression: '"person_id"::text', kind: 'bytes' },
          ],
        });
        for await (const batch of reader) rows += batch.rows;
      });
      return { seconds, rows };
    },
    async close() {
      if (opened) await (await opened).close();
    },
  };
}
