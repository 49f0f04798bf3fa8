// The embedded database: PGlite (Postgres compiled to WASM) in memory or persisted in a directory.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import { observePglite } from './observed-client.ts';
import { schema } from './schema.ts';
import type { CopySink, Database, Db, SqlClient } from './database.ts';

/** PGlite copies from an in-memory blob, so rows are flushed in chunks of this many characters to bound memory. */
const COPY_CHUNK_CHARS = 4 * 1024 * 1024;

type Queryable = Pick<PGlite, 'query'> | Transaction;

function sqlClient(q: Queryable): SqlClient {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      const result = await q.query<T>(text, params);
      return result.rows;
    },
    async copyCsvInto(table, columns): Promise<CopySink> {
      const statement = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
      let pending: string[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        const blob = new Blob(pending);
        pending = [];
        size = 0;
        await q.query(statement, [], { blob });
      };
      return {
        async write(csv) {
          pending.push(csv);
          size += csv.length;
          if (size >= COPY_CHUNK_CHARS) await flush();
        },
        end: flush,
        async abort() {
          pending = [];
          size = 0;
        },
      };
    },
  };
}

/** Opens PGlite persisted under `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const release = dataDir === undefined ? () => {} : lockDataDir(dataDir);
  let raw: PGlite;
  try {
    raw = await PGlite.create(dataDir === undefined ? undefined : { dataDir });
  } catch (err) {
    release();
    throw err;
  }
  // every statement through this client gets a span and counts toward the pool figures
  const { client, stats } = observePglite(raw);
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    reach: null,
    singleSession: true,
    db,
    sql: sqlClient(client),
    transaction: (fn) => client.transaction((tx) => fn(sqlClient(tx))),
    async listen(channel, onNotify) {
      // one instance in this process: a NOTIFY committed by anyone using it reaches this listener
      return client.listen(channel, () => onNotify());
    },
    poolStats: stats,
    async close() {
      await raw.close();
      release();
    },
  };
}

/** The PGlite client behind a database, for the migrator. */
export function pgliteClientOf(database: Database): PGlite {
  return (database.db as unknown as { $client: PGlite }).$client;
}
