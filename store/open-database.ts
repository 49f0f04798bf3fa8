// Chooses the database: a PostgreSQL server when a URL is given, else embedded PGlite.
import type { Database } from './database.ts';
import { openPglite } from './open-pglite.ts';
import { openPostgres } from './open-postgres.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection URL; when set, PGlite is not used */
  url?: string | undefined;
  /** directory for PGlite's files; undefined keeps PGlite in memory */
  dataDir?: string | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres({ url: options.url });
  return openPglite(options.dataDir);
}
