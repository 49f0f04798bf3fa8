// Group `storage`: generator speed, and bulk loads into PGlite and PostgreSQL against their own raw COPY.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { createTableStatement, createTestDatabase, loadDataset, registerDataset, type Database } from '../../store/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const definition = DATASETS.population.definition;
const columns = definition.fields.map((f) => `"${f.name}"`).join(', ');

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/** A floor for producing rows of the same shape: random digits, no realism. */
function* plainRows(rows: number) {
  let x = 1;
  for (let i = 0; i < rows; i++) {
    x = (x * 48271) % 2147483647;
    const row: Record<string, string | number> = {};
    for (const f of definition.fields) row[f.name] = f.type === 'string' ? `v${x}` : f.type === 'date' ? '2000-01-01' : x % 1000;
    yield row;
  }
}

async function loadCase(
  name: string,
  baselineName: string,
  rows: number,
  csvFile: string,
  database: Database,
  rawCopy: (db: Database, table: string) => Promise<void>,
): Promise<BenchCase> {
  await registerDataset(database.db, definition);
  let n = 0;
  return {
    name,
    unit: 'rows/s',
    baselineName,
    async run() {
      const seconds = await timed(() => loadDataset(database, { code: 'population', format: 'csv', body: createReadStream(csvFile), loadedBy: 'bench', versionsKept: 1 }));
      return rows / seconds;
    },
    async baseline() {
      const table = `bench_raw_${n++}`;
      await database.sql.query(createTableStatement(table, definition.fields));
      const seconds = await timed(() => rawCopy(database, table));
      await database.sql.query(`DROP TABLE ${table}`);
      return rows / seconds;
    },
  };
}

export const storageGroup: BenchGroup = {
  name: 'storage',
  async setup(options) {
    const rows = Math.max(10_000, Math.round(1_000_000 * options.scale));
    const dir = await mkdtemp(join(tmpdir(), 'bench-storage-'));
    const csvFile = join(dir, 'population.csv');
    options.progress(`writing ${rows.toLocaleString()} population rows as CSV`);
    await pipeline(generatedCsv('population', rows, 'bench'), createWriteStream(csvFile));
    options.progress(`CSV is ${((await stat(csvFile)).size / 1e6).toFixed(0)} MB`);
    const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];

    const cases: BenchCase[] = [
      {
        name: 'generate population (CSV)',
        unit: 'rows/s',
        baselineName: 'same-shape rows of random digits',
        async run() {
          const seconds = await timed(async () => {
            for await (const _ of generatedCsv('population', rows, 'bench')) void _;
          });
          return rows / seconds;
        },
        async baseline() {
          let bytes = 0;
          const seconds = await timed(async () => {
            for (const row of plainRows(rows)) bytes += Object.values(row).join(',').length;
          });
          return bytes > 0 ? rows / seconds : 0;
        },
      },
    ];

    // PGlite: our validated load against PGlite's own COPY of the same file, fed in the same chunk size
    const embeddedDb = await createTestDatabase({ adminUrl: undefined });
    const embedded = embeddedDb.database;
    cleanups.push(() => embeddedDb.drop());
    cases.push(
      await loadCase('load CSV into PGlite', 'PGlite COPY of the same CSV', rows, csvFile, embedded, async (db, table) => {
        const client = (db.db as unknown as { $client: PGlite }).$client;
        let header = true;
        let pending: Buffer[] = [];
        let size = 0;
        const flush = async () => {
          if (!size) return;
          await client.query(`COPY ${table} (${columns}) FROM '/dev/blob' WITH (FORMAT csv${header ? ', HEADER' : ''})`, [], { blob: new Blob(pending) });
          header = false;
          pending = [];
          size = 0;
        };
        // split on line boundaries so each blob holds whole CSV records
        let carry = Buffer.alloc(0);
        for await (const chunk of createReadStream(csvFile)) {
          const buf = Buffer.concat([carry, chunk as Buffer]);
          const cut = buf.lastIndexOf(10) + 1;
          carry = buf.subarray(cut);
          pending.push(buf.subarray(0, cut));
          size += cut;
          if (size >= 4 * 1024 * 1024) await flush();
        }
        pending.push(carry);
        size += carry.length;
        await flush();
      }),
    );

    if (options.postgresUrl) {
      const throwaway = await createTestDatabase({ adminUrl: options.postgresUrl });
      const server = throwaway.database;
      cases.push(
        await loadCase('load CSV into PostgreSQL', 'PostgreSQL COPY FROM STDIN of the same CSV', rows, csvFile, server, async (db, table) => {
          const sql = (db.db as unknown as { $client: postgres.Sql }).$client;
          const writable = await sql.unsafe(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv, HEADER)`).writable();
          await pipeline(createReadStream(csvFile), writable);
        }),
      );
      cleanups.push(() => throwaway.drop());
    } else {
      options.progress('BENCH_DATABASE_URL not set: skipping the PostgreSQL load case');
    }
    return {
      cases,
      async cleanup() {
        for (const c of cleanups.reverse()) await c();
      },
    };
  },
};
