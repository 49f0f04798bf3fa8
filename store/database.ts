// The one database handle every module gets: drizzle for typed queries, a small raw client for dynamic tables.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PoolStats } from '../telemetry/index.ts';
import type { schema } from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Accepts rows of CSV text for one `COPY ... FROM` statement; `end` completes the copy. */
export interface CopySink {
  write(csv: string): Promise<void>;
  end(): Promise<void>;
  /** Cancels the copy so the surrounding transaction can roll back. */
  abort(): Promise<void>;
}

/** Raw SQL for what drizzle cannot express statically (per-dataset tables, COPY). Parameters are always bound. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** `table` and `columns` must already be quoted identifiers. */
  copyCsvInto(table: string, columns: readonly string[]): Promise<CopySink>;
}

/** How another thread of this process opens the same database (store/registry/load-off-loop.ts). */
export type DatabaseReach = { readonly url: string } | { readonly socket: string };

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** how another thread reaches this database; null for PGlite inside this process (nothing else can reach it) */
  readonly reach: DatabaseReach | null;
  /**
   * One backend session shared by every client (PGlite, in this process or behind the embedded host): a long
   * statement or transaction holds everyone else, so bulk reads go in short statements and shared state (rate-limit
   * buckets) stays in the process.
   */
  readonly singleSession: boolean;
  readonly db: Db;
  readonly sql: SqlClient;
  /** A raw transaction: committed when `fn` resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (LISTEN on a connection of its own, re-listened after a reconnect).
   * Resolves to the way to stop, or null where notifications cannot reach this process (the embedded host's one
   * session: its owner wakes workers directly).
   */
  listen(channel: string, onNotify: () => void): Promise<(() => Promise<void>) | null>;
  /** connections of the pool: most, busy, awaited (for /metrics) */
  poolStats(): PoolStats;
  close(): Promise<void>;
}
