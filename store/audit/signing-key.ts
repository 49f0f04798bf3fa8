// The checkpoint signing key on disk: the caller (the gateway) chooses the path, e.g. under DATA_DIR.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateSm2KeyPair, parseSm2PrivateKey, sm2KeyPairToPem, type Sm2KeyPair } from '../../crypto/index.ts';

/**
 * Reads the SM2 key at `path` (PKCS#8 or SEC1 PEM, or 64 hex digits). When the file does not exist and `create` is
 * true (the default), writes a new key there as PKCS#8 PEM, readable by its owner only; processes racing to
 * create it all end up with the one that won. Throws VALIDATION_FAILED for a file that holds no SM2 key, and the
 * file system's error (ENOENT with `create: false`, EACCES, …) otherwise.
 */
export async function loadAuditSigningKey(path: string, options: { create?: boolean } = {}): Promise<Sm2KeyPair> {
  try {
    return parseSm2PrivateKey(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || options.create === false) throw err;
  }
  await mkdir(dirname(path), { recursive: true });
  const keyPair = generateSm2KeyPair();
  // written whole under a temporary name, then linked into place: a reader never sees half a key
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, sm2KeyPairToPem(keyPair), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return keyPair;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parseSm2PrivateKey(await readFile(path, 'utf8'));
  } finally {
    await unlink(temporary).catch(() => {});
  }
}
