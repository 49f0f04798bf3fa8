// Test databases: a fresh migrated PGlite in memory, or a fresh database on the server at TEST_DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { serveWire } from './embedded/wire-server.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './open-pglite.ts';
import { openPostgres } from './open-postgres.ts';

export interface TestDatabase {
  database: Database;
  /** the URL of the throwaway server database, when on PostgreSQL */
  url: string | undefined;
  drop(): Promise<void>;
}

/** Which engine the suite runs on: set TEST_DATABASE_URL to run every test on a real PostgreSQL server. */
export function testDatabaseKind(): 'pglite' | 'postgres' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/**
 * The embedded default as `npm start` runs it: an in-memory PGlite behind the wire protocol (store/embedded), reached
 * through postgres.js on a Unix socket. TEST_DATABASE=embedded runs the whole suite this way.
 */
export async function createEmbeddedTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'gdp-embedded-'));
  const pglite = await PGlite.create();
  const socket = join(dir, '.s.PGSQL.5432');
  const wire = await serveWire(pglite, { path: socket });
  const database = openPostgres({ socket, max: 5 });
  await migrate(database);
  return {
    database,
    url: undefined,
    async drop() {
      await database.close();
      await wire.close();
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One isolated, migrated database per caller (usually per test file or benchmark), removed by `drop`: on the server
 * at `adminUrl` (default TEST_DATABASE_URL) when there is one, else an in-memory PGlite.
 */
export async function createTestDatabase(options: { adminUrl?: string | undefined } = {}): Promise<TestDatabase> {
  const adminUrl = 'adminUrl' in options ? options.adminUrl : process.env.TEST_DATABASE_URL;
  if (!adminUrl && process.env.TEST_DATABASE === 'embedded') return createEmbeddedTestDatabase();
  if (!adminUrl) {
    const database = await openPglite(undefined);
    await migrate(database);
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openPostgres({ url: url.toString(), max: 5 });
  await migrate(database);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * A test database another thread can reach (Database.reach): the server database on PostgreSQL, else the embedded
 * host — never the in-process PGlite, which only its own thread can use. For tests of work done off the event loop.
 */
export async function createReachableTestDatabase(): Promise<TestDatabase> {
  return process.env.TEST_DATABASE_URL ? createTestDatabase() : createEmbeddedTestDatabase();
}
