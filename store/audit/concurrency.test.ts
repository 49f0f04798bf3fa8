import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { openPostgres } from '../open-postgres.ts';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../testing.ts';
import { appendAudit, appendAuditSql } from './append-audit.ts';
import { AuditLog } from './audit-log.ts';
import { listAudit } from './list-audit.ts';
import { resetAudit, sampleEvent } from './testing.ts';
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

async function expectWholeChain(database: Database, n: number) {
  expect(await verifyAudit(database)).toEqual({ valid: true, entries: n, firstInvalidSeq: null, checkpoint: null, reason: null });
  const { items } = await listAudit(database.db, {}, { limit: n });
  expect(items.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => n - i));
}

describe('concurrent writers never fork the chain', () => {
  it('200 parallel appends through AuditLog (group commit)', async () => {
    const log = new AuditLog(t.database);
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(sampleEvent(i))));
    await log.close();
    expect(new Set(entries.map((e) => e.seq)).size).toBe(200);
    // each caller gets the entry of its own event
    entries.forEach((e, i) => expect(e.requestId).toBe(`req-${i}`));
    await expectWholeChain(t.database, 200);
  });

  it('200 parallel transactions, each appending beside its own change', async () => {
    const entries = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.database.db.transaction(async (tx) => {
          await tx.execute(`select pg_sleep(0)`);
          return appendAudit(tx, sampleEvent(i));
        }),
      ),
    );
    expect(new Set(entries.map((e) => e.seq)).size).toBe(200);
    await expectWholeChain(t.database, 200);
  });

  it('200 parallel audited requests mixing group commit, drizzle and raw transactions', async () => {
    const log = new AuditLog(t.database, { maxWaitMs: 2 });
    const request = async (i: number) => {
      // a request's work, then its audit entry; the response would leave after this resolves
      await new Promise((r) => setTimeout(r, i % 5));
      if (i % 3 === 0) return t.database.db.transaction((tx) => appendAudit(tx, sampleEvent(i)));
      if (i % 3 === 1) return t.database.transaction((tx) => appendAuditSql(tx, sampleEvent(i)));
      return log.append(sampleEvent(i));
    };
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => request(i)));
    await log.close();
    expect(new Set(entries.map((e) => e.seq)).size).toBe(200);
    await expectWholeChain(t.database, 200);
  });

  it.skipIf(testDatabaseKind() !== 'postgres')('200 appends from three processes sharing one server', async () => {
    // separate pools stand in for separate gateway processes: only the advisory lock orders them
    const handles = [0, 1, 2].map(() => openPostgres({ url: t.url!, max: 4 }));
    try {
      const logs = handles.map((database) => new AuditLog(database));
      const entries = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2 ? logs[i % 3]!.append(sampleEvent(i)) : handles[i % 3]!.db.transaction((tx) => appendAudit(tx, sampleEvent(i))),
        ),
      );
      await Promise.all(logs.map((l) => l.close()));
      expect(new Set(entries.map((e) => e.seq)).size).toBe(200);
      await expectWholeChain(t.database, 200);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });
});
