// The embedded database's own process (started by `npm start`, store/embedded/start-host.ts): PGlite on DATA_DIR,
// served on a Unix socket in a private directory, so the gateway and its worker reach it as they would a PostgreSQL
// server and its work never runs on the gateway's event loop. It ends when its parent does.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAppError } from '../../errors/index.ts';
import { openDatabase } from '../open-database.ts';
import { pgliteClientOf } from '../open-pglite.ts';
import { serveWire } from './wire-server.ts';

async function main(): Promise<void> {
  const dataDir = process.env.EMBEDDED_DATA_DIR;
  const socket = process.env.EMBEDDED_SOCKET;
  if (!dataDir || !socket || !process.send) throw new Error('start the embedded database through npm start');
  const database = await openDatabase({ dataDir });
  const wire = await serveWire(pgliteClientOf(database), { path: socket });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await wire.close();
    // PGlite flushes and closes its files, and the data directory's lock is released
    await database.close();
    // the socket's private directory (the parent removes it too, unless it was killed)
    rmSync(dirname(socket), { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => {});
  // the parent went away without stopping us (killed): stop cleanly rather than linger holding the directory
  process.on('disconnect', () => void stop());
  process.send({ t: 'ready' });
}

main().catch((err: unknown) => {
  // an AppError's message is safe by contract (the directory is locked by …); of anything else only its name and code
  const e = err as NodeJS.ErrnoException;
  const where = `${process.env.EMBEDDED_DATA_DIR ?? 'DATA_DIR'}/pglite`;
  const reason = isAppError(err)
    ? err.message
    : `the embedded database in ${where} cannot start (${e.name}${e.code ? ` ${e.code}` : ''}): its files are damaged or not PGlite's; restore DATA_DIR from a backup, or move it aside to start afresh`;
  // the parent says it in one line; run by hand, this process says it itself
  if (process.send) process.send({ t: 'failed', reason }, () => process.exit(2));
  else {
    process.stderr.write(`error: ${reason}\n`);
    process.exit(2);
  }
});
