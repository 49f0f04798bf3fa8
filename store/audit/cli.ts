// `npm run audit:verify [-- --checkpoint <file.json>] [--public-key <hex|file>]`: verifies the audit log offline.
// Prints the verification as one JSON line; exits 0 when valid, 1 when invalid, 2 when it could not verify.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../../errors/index.ts';
import type { Database } from '../database.ts';
import { parseAuditCheckpoint } from './checkpoints.ts';

const USAGE = `usage: npm run audit:verify -- [--checkpoint <file.json>] [--public-key <hex|file>]
Verifies the audit log of DATABASE_URL, or of the embedded database under DATA_DIR (default ./.data; stop the server
first). --checkpoint: an exported checkpoint to check against (else the latest stored one); --public-key: the
platform's checkpoint key, which the checkpoint must be signed with. Exit 0 valid, 1 invalid, 2 could not verify.
`;

class UsageError extends Error {}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

/** One line about a failure, without the database URL (it may hold a password) or SQL parameters. */
function describe(err: unknown): string {
  if (err instanceof UsageError || isAppError(err)) return err.message;
  const e = err as { code?: string; message?: string };
  if (e.code === 'ENOENT') return 'file not found';
  if (e.code === 'EACCES') return 'file not readable';
  if (e.code === '42P01') return 'the database has no audit log (migrations not applied)';
  if (e.code === 'ECONNREFUSED') return 'database refused the connection';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'database host not found';
  if (e.code === '28P01' || e.code === '28000') return 'database rejected the credentials';
  if (e.code === '3D000') return 'database does not exist';
  return `could not verify (${e.code ?? (err as Error).name ?? 'error'})`;
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} is not JSON`);
  }
}

async function publicKeyOf(value: string): Promise<string> {
  const text = /^04[0-9a-fA-F]{128}$/.test(value) ? value : (await readFile(value, 'utf8')).trim();
  if (!/^04[0-9a-fA-F]{128}$/.test(text)) throw new UsageError('--public-key must be 04‖x‖y in hex, or a file holding it');
  return text.toLowerCase();
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        checkpoint: { type: 'string' },
        'public-key': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let database: Database | undefined;
  try {
    const checkpoint =
      values.checkpoint === undefined ? undefined : parseAuditCheckpoint(await readJsonFile(values.checkpoint, 'the checkpoint file'));
    const trustedPublicKey = values['public-key'] === undefined ? undefined : await publicKeyOf(values['public-key']);
    const url = process.env.DATABASE_URL || undefined;
    const dataDir = resolve(process.env.DATA_DIR || './.data');
    // opening an absent directory would create an empty database and report "valid, 0 entries"
    if (!url && !existsSync(resolve(dataDir, 'pglite'))) throw new UsageError('no embedded database under DATA_DIR; set DATA_DIR or DATABASE_URL');
    // the drivers load only once the arguments are known good: a usage error answers at once
    const [{ openDatabase }, { verifyAudit }] = await Promise.all([import('../open-database.ts'), import('./verify-audit.ts')]);
    database = await openDatabase({ url, dataDir: url ? undefined : dataDir });
    const result = await verifyAudit(database, { checkpoint, trustedPublicKey });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = result.valid ? 0 : 1;
  } catch (err) {
    await database?.close().catch(() => {});
    fail(describe(err));
  }
  await database?.close();
}

await main();
