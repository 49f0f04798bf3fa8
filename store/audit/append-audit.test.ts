import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, sm3Hex } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { appendAudit, appendAuditSql } from './append-audit.ts';
import { AuditLog } from './audit-log.ts';
import { auditEntryHash } from './entry.ts';
import { listAudit } from './list-audit.ts';
import { appendSamples, resetAudit, sampleEvent } from './testing.ts';
import { GENESIS_HASH } from './types.ts';
import { verifyAudit } from './verify-audit.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await resetAudit(t.database);
});

describe('appendAudit', () => {
  it('chains entries from the genesis hash, each hash SM3 over the canonical JSON of the entry', async () => {
    const { db } = t.database;
    const first = await db.transaction((tx) => appendAudit(tx, sampleEvent(1)));
    const second = await db.transaction((tx) => appendAudit(tx, sampleEvent(2)));
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    const { hash, ...rest } = second;
    // the documented recipe, spelled out independently of auditEntryHash
    const recipe = sm3Hex(
      canonicalJson({
        seq: rest.seq,
        at: rest.at,
        actor: rest.actor,
        action: rest.action,
        resource: rest.resource,
        outcome: rest.outcome,
        ip: rest.ip,
        requestId: rest.requestId,
        details: rest.details,
        prevHash: rest.prevHash,
      }),
    );
    expect(hash).toBe(recipe);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAudit(t.database)).toEqual({ valid: true, entries: 2, firstInvalidSeq: null, checkpoint: null, reason: null });
  });

  it('stores what it hashed: the listed entries equal the appended ones', async () => {
    const appended = await appendSamples(t.database, 5);
    const { items } = await listAudit(t.database.db, {}, { limit: 10 });
    expect(items.reverse()).toEqual(appended);
    for (const e of items) expect(auditEntryHash(e)).toBe(e.hash);
  });

  it('appends several entries in one transaction (the lock is taken again harmlessly)', async () => {
    const entries = await t.database.db.transaction(async (tx) => [
      await appendAudit(tx, sampleEvent(1)),
      await appendAudit(tx, sampleEvent(2)),
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 2 });
  });

  it('refuses to run outside a transaction, where the lock could not hold', async () => {
    await expect(appendAudit(t.database.db, sampleEvent(1))).rejects.toThrow(TypeError);
  });

  it('refuses malformed events as a programming mistake', async () => {
    const { db } = t.database;
    for (const bad of [
      sampleEvent(1, { action: 'Not An Action' }),
      sampleEvent(1, { outcome: 'maybe' as never }),
      sampleEvent(1, { actor: { type: 'robot' as never, id: null } }),
      sampleEvent(1, { details: { blob: Buffer.from('x') } }),
    ]) {
      await expect(db.transaction((tx) => appendAudit(tx, bad))).rejects.toThrow(TypeError);
    }
    expect((await verifyAudit(t.database)).entries).toBe(0);
  });

  it('fails closed: a transaction that rolls back after its audit entry leaves no entry and no gap', async () => {
    const { db } = t.database;
    await db.transaction((tx) => appendAudit(tx, sampleEvent(1)));
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, sampleEvent(2));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const next = await db.transaction((tx) => appendAudit(tx, sampleEvent(3)));
    expect(next.seq).toBe(2);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 2 });
  });

  it('fails closed the other way: when the audit write fails, the change rolls back with it', async () => {
    const { database } = t;
    await database.sql.query('CREATE TABLE IF NOT EXISTS audit_test_changes (id int)');
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute('insert into audit_test_changes values (1)');
        // make the audit insert fail as a broken database would (a constraint the entry violates)
        await tx.execute(`alter table audit_log add constraint audit_test_refuse check (action <> 'http.request') not valid`);
        await appendAudit(tx, sampleEvent(2));
      }),
    ).rejects.toSatisfy((err: unknown) => err instanceof AppError && err.code === 'AUDIT_UNAVAILABLE');
    expect(await database.sql.query('select * from audit_test_changes')).toEqual([]);
    expect((await verifyAudit(database)).entries).toBe(0);
  });

  it('appends through a raw transaction (appendAuditSql) into the same chain', async () => {
    const { database } = t;
    // past nine entries, so a head read that sorted seq as text ('9' after '10') would collide
    await appendSamples(database, 11);
    const raw = await database.transaction((tx) => appendAuditSql(tx, sampleEvent(12)));
    await database.db.transaction((tx) => appendAudit(tx, sampleEvent(13)));
    expect(raw.seq).toBe(12);
    const { items } = await listAudit(database.db, {}, { limit: 10 });
    expect(items[1]).toEqual(raw);
    expect(await verifyAudit(database)).toMatchObject({ valid: true, entries: 13 });
  });

  it('keeps text storable and details value-free, and still verifies', async () => {
    const { database } = t;
    const entry = await database.db.transaction((tx) =>
      appendAudit(tx, {
        actor: { type: 'public', id: 'bad\u0000name\ud800' },
        action: 'auth.token.refused',
        resource: null,
        outcome: 'deny',
        details: {
          reason: 'bad password',
          password: 'hunter2',
          nested: { accessToken: 'abc', kid: 'k1', big: 2n ** 70n, when: new Date(0) },
          list: [1.5, undefined, 'x'],
          nan: NaN,
          tiny: 5e-324,
          large: 1e21,
        },
      }),
    );
    expect(entry.actor.id).toBe('bad\ufffdname\ufffd');
    expect(entry.details).toEqual({
      reason: 'bad password',
      password: '[redacted]',
      nested: { accessToken: '[redacted]', kid: 'k1', big: '1180591620717411303424', when: '1970-01-01T00:00:00.000Z' },
      list: [1.5, null, 'x'],
      nan: null,
      tiny: 5e-324,
      large: 1e21,
    });
    expect(JSON.stringify(entry)).not.toContain('hunter2');
    expect(await verifyAudit(database)).toMatchObject({ valid: true, entries: 1 });
  });

  it('never lets time go backwards along the chain', async () => {
    const entries = await appendSamples(t.database, 30);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.at >= entries[i - 1]!.at).toBe(true);
  });
});

describe('AuditLog', () => {
  it('resolves each append with its committed entry, in one chain', async () => {
    const log = new AuditLog(t.database);
    const entries = await Promise.all([1, 2, 3].map((i) => log.append(sampleEvent(i))));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    // durable: a second handle on the same data sees them (on PGlite, the same client)
    expect((await listAudit(t.database.db, {}, { limit: 5 })).items).toHaveLength(3);
    await log.close();
    await expect(log.append(sampleEvent(4))).rejects.toThrow('closed');
  });

  it('rejects only the malformed append, not its batch', async () => {
    const log = new AuditLog(t.database);
    const results = await Promise.allSettled([
      log.append(sampleEvent(1)),
      log.append(sampleEvent(2, { action: '' })),
      log.append(sampleEvent(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await log.close();
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 2 });
  });

  it('groups concurrent appends into few transactions, and turns that off with maxBatch 1', async () => {
    const counting = (maxBatch: number) => {
      let transactions = 0;
      const db = t.database.db;
      const database = {
        ...t.database,
        db: new Proxy(db, {
          get(target, prop, receiver) {
            if (prop === 'transaction') transactions += 1;
            return Reflect.get(target, prop, receiver);
          },
        }),
      };
      return { log: new AuditLog(database, { maxBatch }), count: () => transactions };
    };
    const batched = counting(500);
    await Promise.all(Array.from({ length: 100 }, (_, i) => batched.log.append(sampleEvent(i))));
    expect(batched.count()).toBeLessThanOrEqual(2);
    const single = counting(1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => single.log.append(sampleEvent(i))));
    expect(single.count()).toBe(20);
    expect(await verifyAudit(t.database)).toMatchObject({ valid: true, entries: 120 });
  });
});
