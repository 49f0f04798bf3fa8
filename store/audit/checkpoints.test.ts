import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2KeyPairToPem } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import {
  auditLogId,
  checkpointSigningInput,
  createCheckpoint,
  latestCheckpoint,
  parseAuditCheckpoint,
  verifyCheckpointSignature,
} from './checkpoints.ts';
import { loadAuditSigningKey } from './signing-key.ts';
import { appendSamples, resetAudit } from './testing.ts';
import { GENESIS_HASH } from './types.ts';
import { verifyAudit } from './verify-audit.ts';

let t: TestDatabase;
let dir: string;
const signer = generateSm2KeyPair();
beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'audit-keys-'));
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetAudit(t.database);
});

describe('createCheckpoint', () => {
  it('signs the log as it is: id, size, head hash, time', async () => {
    const entries = await appendSamples(t.database, 12);
    const checkpoint = await createCheckpoint(t.database, signer);
    expect(checkpoint).toEqual({
      logId: await auditLogId(t.database.db),
      size: 12,
      headHash: entries.at(-1)!.hash,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      alg: 'SM2-SM3',
      signature: expect.stringMatching(/^[0-9a-f]{128}$/),
      publicKey: signer.publicKey,
    });
    expect(verifyCheckpointSignature(checkpoint)).toBe(true);
    expect(await latestCheckpoint(t.database.db)).toEqual(checkpoint);
    const verified = await verifyAudit(t.database);
    expect(verified).toMatchObject({ valid: true, entries: 12, firstInvalidSeq: null });
    expect(verified.checkpoint).toEqual({ ...checkpoint, source: 'stored', signatureValid: true, matches: true });
  });

  it('checkpoints an empty log at size 0 and the genesis hash', async () => {
    const checkpoint = await createCheckpoint(t.database, signer);
    expect(checkpoint).toMatchObject({ size: 0, headHash: GENESIS_HASH });
    expect(await verifyAudit(t.database, { checkpoint })).toMatchObject({ valid: true, entries: 0 });
  });

  it('checks only what was added since the previous checkpoint', async () => {
    await appendSamples(t.database, 5);
    const first = await createCheckpoint(t.database, signer);
    await appendSamples(t.database, 5, 10);
    const second = await createCheckpoint(t.database, signer);
    expect(second.size).toBe(10);
    expect(await verifyAudit(t.database, { checkpoint: first })).toMatchObject({ valid: true });
    expect(await verifyAudit(t.database, { checkpoint: second })).toMatchObject({ valid: true });
  });

  it('survives export as JSON and import through parseAuditCheckpoint', async () => {
    await appendSamples(t.database, 3);
    const exported = JSON.parse(JSON.stringify(await createCheckpoint(t.database, signer))) as unknown;
    const imported = parseAuditCheckpoint(exported);
    expect(verifyCheckpointSignature(imported)).toBe(true);
    expect(await verifyAudit(t.database, { checkpoint: imported, trustedPublicKey: signer.publicKey })).toMatchObject({
      valid: true,
      checkpoint: { source: 'given', matches: true },
    });
  });
});

describe('checkpoint signatures', () => {
  it('cover every member but the signature', async () => {
    await appendSamples(t.database, 2);
    const checkpoint = await createCheckpoint(t.database, signer);
    expect(checkpointSigningInput(checkpoint)).toBe(
      JSON.stringify({
        alg: checkpoint.alg,
        at: checkpoint.at,
        headHash: checkpoint.headHash,
        logId: checkpoint.logId,
        publicKey: checkpoint.publicKey,
        size: checkpoint.size,
      }),
    );
    const other = generateSm2KeyPair().publicKey;
    for (const changed of [
      { ...checkpoint, size: 1 },
      { ...checkpoint, headHash: GENESIS_HASH },
      { ...checkpoint, logId: 'another' },
      { ...checkpoint, at: new Date(0).toISOString() },
      { ...checkpoint, publicKey: other },
      { ...checkpoint, signature: checkpoint.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      { ...checkpoint, alg: 'SM2' as never },
    ]) {
      expect(verifyCheckpointSignature(changed)).toBe(false);
    }
  });

  it('refuses malformed checkpoints from outside with VALIDATION_FAILED', () => {
    for (const bad of [null, {}, { logId: 'x', size: -1 }, 'checkpoint']) {
      expect(() => parseAuditCheckpoint(bad)).toThrow(AppError);
    }
  });
});

describe('loadAuditSigningKey', () => {
  it('creates a PKCS#8 PEM key readable by its owner only, then loads the same key', async () => {
    const path = join(dir, 'nested', 'audit-signing-key.pem');
    const created = await loadAuditSigningKey(path);
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadAuditSigningKey(path)).toEqual(created);
  });

  it('lets racing processes agree on one key', async () => {
    const path = join(dir, 'raced.pem');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadAuditSigningKey(path)));
    expect(new Set(keys.map((k) => k.publicKey)).size).toBe(1);
  });

  it('reads keys given as PEM or hex, and refuses other files', async () => {
    const key = generateSm2KeyPair();
    await writeFile(join(dir, 'hex.key'), `${key.privateKey}\n`);
    await writeFile(join(dir, 'pem.key'), sm2KeyPairToPem(key));
    await writeFile(join(dir, 'bad.key'), 'hello');
    expect(await loadAuditSigningKey(join(dir, 'hex.key'))).toEqual(key);
    expect(await loadAuditSigningKey(join(dir, 'pem.key'))).toEqual(key);
    await expect(loadAuditSigningKey(join(dir, 'bad.key'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(loadAuditSigningKey(join(dir, 'absent.key'), { create: false })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
