// Applies the committed drizzle-kit migrations (store/migrations/*.sql) at start.
import { fileURLToPath } from 'node:url';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './database.ts';
import { postgresClientOf } from './open-postgres.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary constant naming the lock that serialises migrations across processes sharing one server. */
const MIGRATION_LOCK_ID = 724_007_001;

/** Brings the schema up to date. Safe to call from several processes at once on PostgreSQL. */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // nothing to do (the usual start): no DDL at all, so a server role without CREATE rights starts too — in production
  // the tables' owner migrates (npm run db:migrate) and the servers run as a role that may not change the audit log
  if (await migrationsApplied(database).catch(() => false)) return;
  // one pooled connection holds the session lock while the pool runs the migrations
  const reserved = await postgresClientOf(database).reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder });
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    reserved.release();
  }
}

/** True when every committed migration is recorded as applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const journal = (await import('./migrations/meta/_journal.json', { with: { type: 'json' } })).default as {
    entries: unknown[];
  };
  const rows = await database.sql.query<{ n: number }>(
    `select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return (rows[0]?.n ?? 0) >= journal.entries.length;
}
