// One process at a time on an embedded database directory: PGlite's files are not safe to share.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/index.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DATABASE_LOCKED; a lock left by a dead process is taken over. Returns the release. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'platform.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new AppError('DATABASE_LOCKED', `the embedded database is in use by process ${owner}; stop it or use DATABASE_URL`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new AppError('DATABASE_LOCKED', 'could not lock the embedded database directory');
}
