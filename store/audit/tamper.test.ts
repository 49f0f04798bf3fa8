import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../crypto/index.ts';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../testing.ts';
import { createCheckpoint } from './checkpoints.ts';
import { auditEntryHash } from './entry.ts';
import { listAudit } from './list-audit.ts';
import { appendSamples, resetAudit, sampleEvent, shiftUpStatements, tamper } from './testing.ts';
import type { AuditEntry } from './types.ts';
import { verifyAudit } from './verify-audit.ts';

let t: TestDatabase;
let entries: AuditEntry[];
const signer = generateSm2KeyPair();

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await resetAudit(t.database);
  entries = await appendSamples(t.database, 20);
});

const row = (e: AuditEntry): [string, unknown[]] => [
  `INSERT INTO audit_log (seq, at, actor_type, actor_id, action, resource, outcome, ip, request_id, details, prev_hash, hash)
   VALUES ($1::text::bigint, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)`,
  [String(e.seq), e.at, e.actor.type, e.actor.id, e.action, e.resource, e.outcome, e.ip, e.requestId, JSON.stringify(e.details), e.prevHash, e.hash],
];

describe('verifyAudit names the first affected entry', () => {
  it('is valid when untouched', async () => {
    expect(await verifyAudit(t.database)).toEqual({ valid: true, entries: 20, firstInvalidSeq: null, checkpoint: null, reason: null });
  });

  it('an edited entry', async () => {
    await tamper(t.database, `UPDATE audit_log SET outcome = 'allow' WHERE seq = 7`);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, entries: 20, firstInvalidSeq: 7, reason: 'hash-mismatch' });
  });

  it('an edited detail (jsonb), even one a reader would think harmless', async () => {
    await tamper(t.database, `UPDATE audit_log SET details = details || '{"rows": 0}' WHERE seq = 4`);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 4, reason: 'hash-mismatch' });
  });

  it('an edited entry whose hash was recomputed: its successor no longer links to it', async () => {
    const forged = { ...entries[6]!, outcome: 'allow' as const };
    const hash = auditEntryHash(forged);
    await tamper(t.database, [`UPDATE audit_log SET outcome = 'allow', hash = $1 WHERE seq = 7`, [hash]]);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 8, reason: 'prev-hash-mismatch' });
  });

  it('a deleted entry', async () => {
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq = 12');
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, entries: 19, firstInvalidSeq: 12, reason: 'missing-entry' });
  });

  it('the first entry deleted', async () => {
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq = 1');
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 1, reason: 'missing-entry' });
  });

  it('an inserted entry, with the later ones renumbered to make room', async () => {
    const fake = { ...entries[4]!, seq: 5, action: 'auth.token.issued', hash: 'f'.repeat(64) };
    await tamper(t.database, ...shiftUpStatements(5), row(fake));
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, entries: 21, firstInvalidSeq: 5, reason: 'hash-mismatch' });
  });

  it('an inserted entry forged with a correct hash: the entry after it no longer links', async () => {
    const unhashed = { ...entries[4]!, seq: 5, prevHash: entries[3]!.hash, action: 'auth.token.issued' };
    await tamper(t.database, ...shiftUpStatements(5), row({ ...unhashed, hash: auditEntryHash(unhashed) }));
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 6, reason: 'prev-hash-mismatch' });
  });

  it('an entry inserted at the end that does not chain', async () => {
    await tamper(t.database, row({ ...entries[19]!, seq: 21, action: 'job.finished' }));
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 21, reason: 'prev-hash-mismatch' });
  });

  it('an entry inserted before the first', async () => {
    await tamper(t.database, row({ ...entries[0]!, seq: 0 }));
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 0, reason: 'unexpected-entry' });
  });

  it('two entries swapped', async () => {
    await tamper(
      t.database,
      'UPDATE audit_log SET seq = -3 WHERE seq = 3',
      'UPDATE audit_log SET seq = 3 WHERE seq = 9',
      'UPDATE audit_log SET seq = 9 WHERE seq = -3',
    );
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, entries: 20, firstInvalidSeq: 3 });
  });

  it('two neighbours swapped', async () => {
    await tamper(
      t.database,
      'UPDATE audit_log SET seq = -15 WHERE seq = 15',
      'UPDATE audit_log SET seq = 15 WHERE seq = 16',
      'UPDATE audit_log SET seq = 16 WHERE seq = -15',
    );
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 15 });
  });

  it('reads in batches and finds the same entry however small the batch', async () => {
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq = 13');
    for (const batchSize of [1, 2, 5, 12, 13, 5000]) {
      expect(await verifyAudit(t.database, { batchSize })).toMatchObject({ firstInvalidSeq: 13 });
    }
  });
});

describe('truncation and rewrites, against checkpoints', () => {
  it('a truncated tail is invisible to the chain alone but caught by an exported checkpoint', async () => {
    const exported = await createCheckpoint(t.database, signer);
    expect(exported.size).toBe(20);
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq > 16', 'DELETE FROM audit_checkpoints');
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 16 });
    const result = await verifyAudit(t.database, { checkpoint: exported });
    expect(result).toMatchObject({ valid: false, entries: 16, firstInvalidSeq: 17, reason: 'truncated' });
    expect(result.checkpoint).toMatchObject({ source: 'given', signatureValid: true, matches: false, size: 20 });
  });

  it('the latest stored checkpoint catches truncation when it was left in place', async () => {
    await createCheckpoint(t.database, signer);
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq > 10');
    expect(await verifyAudit(t.database)).toMatchObject({ valid: false, firstInvalidSeq: 11, reason: 'truncated' });
  });

  it('entries after the checkpoint may come and go without failing it (only a newer checkpoint pins them)', async () => {
    const exported = await createCheckpoint(t.database, signer);
    await appendSamples(t.database, 5, 100);
    expect(await verifyAudit(t.database, { checkpoint: exported })).toMatchObject({ valid: true, entries: 25 });
    expect((await verifyAudit(t.database, { checkpoint: exported })).checkpoint).toMatchObject({ matches: true });
  });

  it('a rewritten history with every hash recomputed fails at the checkpoint', async () => {
    const exported = await createCheckpoint(t.database, signer);
    // rewrite entry 2 and re-chain everything after it, as someone who knows the algorithm would
    const rewritten: AuditEntry[] = [];
    let prevHash = entries[0]!.hash;
    for (const e of entries.slice(1)) {
      const unhashed = { ...e, prevHash, outcome: e.seq === 2 ? ('allow' as const) : e.outcome };
      const next = { ...unhashed, hash: auditEntryHash(unhashed) };
      rewritten.push(next);
      prevHash = next.hash;
    }
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq >= 2', 'DELETE FROM audit_checkpoints', ...rewritten.map(row));
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true });
    expect(await verifyAudit(t.database, { checkpoint: exported })).toMatchObject({
      valid: false,
      firstInvalidSeq: 20,
      reason: 'checkpoint-mismatch',
    });
  });

  it('a checkpoint whose fields were changed fails its signature', async () => {
    const exported = await createCheckpoint(t.database, signer);
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq > 10');
    const result = await verifyAudit(t.database, { checkpoint: { ...exported, size: 10, headHash: entries[9]!.hash } });
    expect(result).toMatchObject({ valid: false, firstInvalidSeq: null, reason: 'checkpoint-signature' });
    expect(result.checkpoint).toMatchObject({ signatureValid: false, matches: true });
  });

  it('a checkpoint re-signed with a key of the tamperer fails against the trusted key', async () => {
    await tamper(t.database, 'DELETE FROM audit_log WHERE seq > 10');
    await createCheckpoint(t.database, generateSm2KeyPair());
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true });
    expect(await verifyAudit(t.database, { trustedPublicKey: signer.publicKey })).toMatchObject({
      valid: false,
      reason: 'checkpoint-key',
    });
  });

  it('a checkpoint of another log does not vouch for this one', async () => {
    const other = await createTestDatabase();
    try {
      await appendSamples(other.database, 20);
      const foreign = await createCheckpoint(other.database, signer);
      expect(await verifyAudit(t.database, { checkpoint: foreign })).toMatchObject({ valid: false, reason: 'checkpoint-mismatch' });
      const sameHead = await verifyAudit(other.database, { checkpoint: { ...foreign, logId: 'elsewhere' } });
      expect(sameHead).toMatchObject({ valid: false, reason: 'checkpoint-signature' });
    } finally {
      await other.drop();
    }
  });

  it('createCheckpoint refuses to sign over a broken chain', async () => {
    await createCheckpoint(t.database, signer);
    await appendSamples(t.database, 3, 50);
    await tamper(t.database, `UPDATE audit_log SET outcome = 'error' WHERE seq = 22`);
    await expect(createCheckpoint(t.database, signer)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', details: { seq: 22 } });
    await tamper(t.database, `UPDATE audit_log SET outcome = 'error' WHERE seq = 5`);
    // older entries are pinned by the previous checkpoint's head, which still matches; its own head is checked
    await tamper(t.database, `UPDATE audit_log SET hash = 'x' WHERE seq = 20`);
    await expect(createCheckpoint(t.database, signer)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', details: { seq: 20 } });
  });
});

describe('the append-only guard', () => {
  const refused = { code: '42501' };
  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      // drizzle and PGlite wrap the server's error; postgres.js gives it as is
      const e = err as { code?: string; cause?: { code?: string } };
      return { code: e.code ?? e.cause?.code };
    }
    return null;
  };

  it('refuses UPDATE, DELETE and TRUNCATE of entries, even by the tables owner', async () => {
    const { sql } = t.database;
    expect(await errorOf(sql.query(`UPDATE audit_log SET outcome = 'allow' WHERE seq = 1`))).toEqual(refused);
    expect(await errorOf(sql.query('DELETE FROM audit_log WHERE seq = 20'))).toEqual(refused);
    expect(await errorOf(sql.query('TRUNCATE audit_log'))).toEqual(refused);
    // even a statement that matches nothing is refused: nobody edits the log
    expect(await errorOf(sql.query('DELETE FROM audit_log WHERE seq < 0'))).toEqual(refused);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 20 });
  });

  it('refuses changes to checkpoints and to the log identity', async () => {
    const { sql } = t.database;
    await createCheckpoint(t.database, signer);
    expect(await errorOf(sql.query('DELETE FROM audit_checkpoints'))).toEqual(refused);
    expect(await errorOf(sql.query(`UPDATE audit_checkpoints SET size = 0`))).toEqual(refused);
    expect(await errorOf(sql.query(`UPDATE audit_log_meta SET log_id = 'x'`))).toEqual(refused);
    expect(await errorOf(sql.query('TRUNCATE audit_log_meta CASCADE'))).toEqual(refused);
  });

  it('a role granted only SELECT and INSERT can append but neither change entries nor switch the trigger off', async () => {
    const role = `audit_app_${Math.random().toString(36).slice(2, 10)}`;
    const { sql } = t.database;
    try {
      await sql.query(`CREATE ROLE ${role} NOLOGIN`);
    } catch {
      // PGlite may run without role support; the PostgreSQL run covers this case
      expect(testDatabaseKind()).toBe('pglite');
      return;
    }
    try {
      await sql.query(`GRANT SELECT, INSERT ON audit_log, audit_checkpoints, audit_log_meta TO ${role}`);
      const asApp = (statement: string) =>
        t.database.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE ${role}`);
          await tx.query(statement);
        });
      expect(await errorOf(asApp(`SET LOCAL session_replication_role = replica`))).toEqual(refused);
      expect(await errorOf(asApp('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'))).toEqual(refused);
      expect(await errorOf(asApp(`UPDATE audit_log SET outcome = 'allow' WHERE seq = 1`))).toEqual(refused);
      expect(await errorOf(asApp('DELETE FROM audit_log WHERE seq = 1'))).toEqual(refused);
      await t.database.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${role}`);
        const { appendAuditSql } = await import('./append-audit.ts');
        await appendAuditSql(tx, sampleEvent(21));
      });
      expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 21 });
    } finally {
      await sql.query(`REVOKE ALL ON audit_log, audit_checkpoints, audit_log_meta FROM ${role}`);
      await sql.query(`DROP ROLE ${role}`);
    }
  });

  it('lists nothing of a rolled-back tamper attempt', async () => {
    const { items } = await listAudit(t.database.db, {}, { limit: 100 });
    expect(items).toHaveLength(20);
  });
});
