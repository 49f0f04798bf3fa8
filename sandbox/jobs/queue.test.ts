// The queue on a real database: claims never collide, a dead worker's job is retried and completes exactly once.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { claimJob } from './claim-job.ts';
import { completeJob, type JobOutcome } from './complete-job.ts';
import { heartbeat } from './heartbeat.ts';
import { requeueExpired } from './requeue-expired.ts';
import { budgetLedger, jobResults, jobs, releasedCells } from './schema.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await t.database.db.delete(releasedCells);
  await t.database.db.delete(jobResults);
  await t.database.db.delete(budgetLedger);
  await t.database.db.delete(jobs);
});

async function queue(n: number, maxAttempts = 3): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const id of ids) {
    await t.database.db.insert(jobs).values({ id, operatorId: 'op-1', licenseId: 'lic-1', datasets: [{ code: 'population', fields: ['sex'] }], code: 'x', codeSha256: 'x', params: {}, operation: 'aggregate', maxAttempts });
  }
  return ids;
}

const released = (): JobOutcome => ({ status: 'succeeded', result: { tables: [] }, record: { outcome: 'release' }, releasedCells: [] });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claimJob', () => {
  it('hands each queued job to exactly one of many concurrent workers (SKIP LOCKED)', async () => {
    const ids = await queue(5);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJob(t.database, `w${i}`, 60_000)));
    const got = claims.filter((c) => c !== null).map((c) => c.id);
    expect(got.sort()).toEqual([...ids].sort());
    expect(claims.filter((c) => c === null)).toHaveLength(3);
    const rows = await t.database.db.select().from(jobs);
    expect(rows.every((r) => r.status === 'running' && r.attempts === 1 && r.leaseOwner !== null)).toBe(true);
  });

  it('returns null on an empty queue', async () => {
    expect(await claimJob(t.database, 'w', 1000)).toBeNull();
  });
});

describe('leases', () => {
  it('a heartbeat extends a live lease and fails once the lease is lost', async () => {
    await queue(1);
    const job = (await claimJob(t.database, 'w1', 60_000))!;
    expect(await heartbeat(t.database, job.id, 'w1', 60_000)).toBe(true);
    expect(await heartbeat(t.database, job.id, 'someone-else', 60_000)).toBe(false);
  });

  it('a worker that dies mid-job: the lease expires, another worker completes it exactly once', async () => {
    const [id] = await queue(1);
    const first = (await claimJob(t.database, 'dying', 20))!;
    expect(first.id).toBe(id);
    await sleep(60);
    expect(await requeueExpired(t.database)).toEqual({ requeued: [id], failed: [] });
    const second = (await claimJob(t.database, 'healthy', 60_000))!;
    expect(second.id).toBe(id);
    expect(second.attempts).toBe(2);
    // the dead worker wakes up late: its completion is refused, nothing written
    expect(await completeJob(t.database, id!, 'dying', released())).toBe(false);
    expect(await heartbeat(t.database, id!, 'dying', 1000)).toBe(false);
    expect(await completeJob(t.database, id!, 'healthy', released())).toBe(true);
    // a repeated completion (say, a retried network call) changes nothing
    expect(await completeJob(t.database, id!, 'healthy', released())).toBe(false);
    expect(await t.database.db.select().from(jobResults)).toHaveLength(1);
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id!));
    expect(row).toMatchObject({ status: 'succeeded', leaseOwner: null });
    const audit = await t.database.sql.query<{ action: string }>(`select action from audit_log where resource = $1 order by seq`, [`job:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.succeeded']);
  });

  it('fails a job whose attempts are used up', async () => {
    const [id] = await queue(1, 1);
    await claimJob(t.database, 'dying', 10);
    await sleep(40);
    expect(await requeueExpired(t.database)).toEqual({ requeued: [], failed: [id] });
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id!));
    expect(row).toMatchObject({ status: 'failed', errorCode: 'ATTEMPTS_EXHAUSTED' });
  });

  it('gives a job\'s charge back when it never read data, once', async () => {
    const [id] = await queue(1);
    await t.database.db.update(jobs).set({ rhoNano: 5_000_000 }).where(eq(jobs.id, id!));
    await t.database.db.insert(budgetLedger).values({ licenseId: 'lic-1', dataset: 'population', rhoSpentNano: 7_000_000, version: 1 });
    await claimJob(t.database, 'w', 60_000);
    expect(await completeJob(t.database, id!, 'w', { status: 'failed', errorCode: 'LICENSE_INACTIVE', reason: 'the licence is no longer valid', refund: true })).toBe(true);
    expect(await completeJob(t.database, id!, 'w', { status: 'failed', errorCode: 'LICENSE_INACTIVE', reason: 'the licence is no longer valid', refund: true })).toBe(false);
    const [account] = await t.database.db.select().from(budgetLedger);
    expect(account!.rhoSpentNano).toBe(2_000_000);
    const [n] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(jobResults);
    expect(n?.n).toBe(0);
  });
});
