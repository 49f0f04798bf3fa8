// A real PostgreSQL server through postgres.js.
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { once } from 'node:events';
import { observePostgres } from './observed-client.ts';
import { schema } from './schema.ts';
import type { CopySink, Database, DatabaseReach, Db, SqlClient } from './database.ts';

type Sql = postgres.Sql | postgres.TransactionSql;

function sqlClient(sql: Sql): SqlClient {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
    async copyCsvInto(table, columns): Promise<CopySink> {
      const writable = await sql
        .unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`)
        .writable();
      // errors surface through the COPY query itself; this keeps an aborted copy from being "unhandled"
      writable.on('error', () => {});
      return {
        async write(csv) {
          if (!writable.write(csv)) await once(writable, 'drain');
        },
        async end() {
          const finished = once(writable, 'finish');
          writable.end();
          await finished;
        },
        async abort() {
          // sends CopyFail; the message reaches the server log, so it carries no data
          writable.destroy(new Error('load aborted'));
        },
      };
    },
  };
}

export interface PostgresOptions {
  url: string;
  /** connections in the pool */
  max?: number;
}

/** The embedded database's host (store/embedded): PGlite behind the wire protocol on a Unix socket. */
export interface EmbeddedOptions {
  /** the host's socket file */
  socket: string;
  max?: number;
}

/** Opens a pool to `url`. Connections are made lazily, so an unreachable server fails on first use, not here. */
export function openPostgres(options: PostgresOptions | EmbeddedOptions): Database {
  const max = options.max ?? 10;
  const singleSession = 'socket' in options;
  const settings = { max, onnotice: () => {}, connect_timeout: 10 };
  // every statement through this client gets a span and counts toward the pool figures
  const { sql: client, stats } = observePostgres(
    singleSession
      ? // one session shared by every client: no named prepared statements (they would meet another client's)
        postgres({ ...settings, path: options.socket, database: 'postgres', username: 'postgres', prepare: false })
      : postgres(options.url, settings),
    max,
  );
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    reach: 'socket' in options ? { socket: options.socket } : { url: options.url },
    singleSession,
    db,
    sql: sqlClient(client),
    transaction: (fn) => client.begin((tx) => fn(sqlClient(tx))) as Promise<never>,
    async listen(channel, onNotify) {
      if (singleSession) return null;
      const { unlisten } = await client.listen(channel, () => onNotify());
      return unlisten;
    },
    poolStats: stats,
    close: () => client.end({ timeout: 5 }),
  };
}

/** Opens the database another thread described (Database.reach): the load and download threads use it. */
export const openReach = (reach: DatabaseReach, max?: number): Database => openPostgres({ ...reach, ...(max ? { max } : {}) });

/** The postgres.js client behind a database, for the migrator. */
export function postgresClientOf(database: Database): postgres.Sql {
  return (database.db as unknown as { $client: postgres.Sql }).$client;
}
