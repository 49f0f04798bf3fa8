// Chooses the database: a PostgreSQL server when a URL is given, else embedded PGlite.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Database } from './database.ts';
import { openPglite } from './open-pglite.ts';
import { openPostgres } from './open-postgres.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection URL; when set, PGlite is not used */
  url?: string | undefined;
  /** the platform's DATA_DIR: PGlite keeps its files in `<dataDir>/pglite`; undefined keeps PGlite in memory */
  dataDir?: string | undefined;
  /** the embedded database's socket (store/embedded: `npm start` runs PGlite in a process of its own) */
  embeddedSocket?: string | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres({ url: options.url });
  if (options.embeddedSocket) return openPostgres({ socket: options.embeddedSocket });
  if (options.dataDir === undefined) return openPglite(undefined);
  const dir = resolve(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}
