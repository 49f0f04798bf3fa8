import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../crypto/index.ts';
import type { Database } from '../database.ts';
import { migrate } from '../migrate.ts';
import { openDatabase } from '../open-database.ts';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../testing.ts';
import { createCheckpoint } from './checkpoints.ts';
import { appendSamples, tamper } from './testing.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const signer = generateSm2KeyPair();
let dir: string;
let test: TestDatabase | undefined;
let env: Record<string, string>;

/** Opens the database the CLI will read: the throwaway server database, or PGlite files under DATA_DIR. */
async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  if (test) return fn(test.database);
  const database = await openDatabase({ dataDir: env.DATA_DIR });
  try {
    return await fn(database);
  } finally {
    // the embedded database admits one process at a time: close before the CLI opens it
    await database.close();
  }
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      // from the project, where `--import tsx` resolves
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-cli-'));
  if (testDatabaseKind() === 'postgres') {
    test = await createTestDatabase();
    env = { DATABASE_URL: test.url! };
  } else {
    env = { DATA_DIR: join(dir, 'data') };
  }
  await withDatabase(async (database) => {
    if (!test) await migrate(database);
    await appendSamples(database, 30);
    const checkpoint = await createCheckpoint(database, signer);
    await writeFile(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint));
  });
}, 60_000);
afterAll(async () => {
  await test?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run audit:verify', () => {
  it('prints one JSON line and exits 0 for an intact log', async () => {
    const { code, stdout } = await run('--checkpoint', join(dir, 'checkpoint.json'), '--public-key', signer.publicKey);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, entries: 30, firstInvalidSeq: null, checkpoint: { source: 'given', matches: true } });
  });

  it('exits 2 with one line for bad usage or an unreadable checkpoint', async () => {
    for (const args of [['--nope'], ['--checkpoint', join(dir, 'absent.json')], ['--public-key', 'zz'], ['stray']]) {
      const { code, stdout, stderr } = await run(...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^error: [^\n]+\n$/);
    }
    await writeFile(join(dir, 'bad.json'), '{"size": 1}');
    expect(await run('--checkpoint', join(dir, 'bad.json'))).toMatchObject({ code: 2, stderr: 'error: not an audit checkpoint\n' });
  });

  it.skipIf(testDatabaseKind() === 'postgres')('exits 2 when DATA_DIR holds no database rather than creating one', async () => {
    const saved = env;
    env = { DATA_DIR: join(dir, 'nowhere') };
    try {
      expect(await run()).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: no embedded database/) });
    } finally {
      env = saved;
    }
  });

  it('exits 1 and names the first broken entry after tampering, and the truncation against the exported checkpoint', async () => {
    await withDatabase((database) => tamper(database, `UPDATE audit_log SET outcome = 'allow' WHERE seq = 9`));
    const edited = await run();
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ valid: false, firstInvalidSeq: 9, reason: 'hash-mismatch' });

    await withDatabase((database) => tamper(database, 'DELETE FROM audit_log WHERE seq >= 9', 'DELETE FROM audit_checkpoints'));
    expect(JSON.parse((await run()).stdout)).toMatchObject({ valid: true, entries: 8 });
    const truncated = await run('--checkpoint', join(dir, 'checkpoint.json'));
    expect(truncated.code).toBe(1);
    expect(JSON.parse(truncated.stdout)).toMatchObject({ valid: false, entries: 8, firstInvalidSeq: 9, reason: 'truncated' });
  });
});
