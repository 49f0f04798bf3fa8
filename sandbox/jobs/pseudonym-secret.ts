// The platform's pseudonym master secret: PSEUDONYM_SECRET (hex), or for the embedded default a file under DATA_DIR.
// Every worker must use the same secret, so with a shared PostgreSQL it has to come from the environment.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Throws Error with a configuration message (no secret in it) for a bad or missing value. */
export async function loadPseudonymSecret(env: NodeJS.ProcessEnv, dataDir: string | undefined): Promise<Uint8Array> {
  const hex = env.PSEUDONYM_SECRET;
  if (hex !== undefined) {
    if (!/^(?:[0-9a-fA-F]{2}){32,}$/.test(hex)) throw new Error('PSEUDONYM_SECRET must be at least 64 hex digits');
    return Buffer.from(hex, 'hex');
  }
  if (env.DATABASE_URL || dataDir === undefined) throw new Error('PSEUDONYM_SECRET is required with DATABASE_URL (all workers must share it)');
  const file = join(dataDir, 'pseudonym-secret');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch {
    const secret = randomBytes(32);
    // wx: two processes starting at once do not overwrite each other's secret
    await writeFile(file, secret.toString('hex'), { mode: 0o600, flag: 'wx' }).catch(() => {});
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}
