// Waking and watching workers on a real database: a queued job wakes an idle worker at once (NOTIFY, or directly where
// the database cannot deliver it), and a queue nobody serves is seen by the operator and raises one alert.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { alerts } from '../alerts/schema.ts';
import { createIsolatePool, type IsolatePool } from '../execution/index.ts';
import { getJob } from './get-job.ts';
import { checkQueueHealth, waitingFor, workerAlive } from './queue-health.ts';
import { jobs, jobWorkers } from './schema.ts';
import { queueJob, seedLicence, seedPopulation, TEST_PSEUDONYM_SECRET, TEST_SLOT } from './testing.ts';
import { JOBS_CHANNEL, notifyWorkers } from './wake.ts';
import { createWorker } from './worker.ts';

let t: TestDatabase;
let pool: IsolatePool;
let licence: { operatorId: string; licenseId: string };
const policies = loadPolicies();
const COUNT_BY_SEX = 'export function map(columns) { return { keys: { sex: columns.sex } }; }';
const OUTPUTS = [{ name: 'n', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } }];
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  pool = createIsolatePool({ size: 1 });
  await seedPopulation(t.database, 200);
  licence = await seedLicence(t.database, { maxJobsPerDay: 100, epsilon: 50 });
});
afterAll(async () => {
  await pool?.close();
  await t?.drop();
});
beforeEach(async () => {
  await t.database.db.delete(jobWorkers);
  await t.database.db.delete(alerts);
  await t.database.db.update(jobs).set({ status: 'failed' }).where(eq(jobs.status, 'queued'));
});

const status = async (id: string) => (await t.database.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id)))[0]?.status;
/** Moves a job's queueing time back, as if it had waited that long. */
const age = (id: string, ms: number) => t.database.db.update(jobs).set({ createdAt: sql`now() - ${ms} * interval '1 millisecond'` }).where(eq(jobs.id, id));

describe('wake-up', () => {
  it('an idle worker whose next poll is an hour away runs a job as soon as it is queued', async () => {
    const worker = createWorker({ database: t.database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT, pollMs: HOUR });
    // where the database delivers NOTIFY (PostgreSQL, PGlite in one process) the worker listens; on the embedded
    // host's single shared session it cannot, and whoever queued the job wakes the worker directly
    const probe = await t.database.listen(JOBS_CHANNEL, () => {});
    await probe?.();
    const wake = async () => {
      if (probe) await t.database.db.transaction((tx) => notifyWorkers(tx));
      else worker.wake();
    };
    // the first round runs the first job; then the worker sleeps (an hour, unless woken)
    const first = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: OUTPUTS });
    worker.start();
    try {
      await vi.waitFor(async () => expect(await status(first)).toBe('succeeded'), { timeout: 30_000, interval: 50 });
      expect((await t.database.db.select().from(jobWorkers)).map((w) => w.id)).toEqual([worker.id]);
      const second = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: OUTPUTS });
      await wake();
      await vi.waitFor(async () => expect(await status(second)).toBe('succeeded'), { timeout: 30_000, interval: 50 });
    } finally {
      await worker.stop();
    }
    // a stopped worker is not counted as alive
    expect(await t.database.db.select().from(jobWorkers)).toEqual([]);
  });

  it('a NOTIFY in a transaction that rolls back wakes nobody: the job was never visible', async () => {
    const notes: number[] = [];
    const probe = await t.database.listen(JOBS_CHANNEL, () => notes.push(1));
    if (!probe) return; // no NOTIFY on this database (the embedded host): nothing to deliver either way
    try {
      await t.database.db.transaction(async (tx) => {
        await notifyWorkers(tx);
        tx.rollback();
      }).catch(() => {});
      await t.database.db.transaction((tx) => notifyWorkers(tx));
      await vi.waitFor(() => expect(notes).toEqual([1]), { timeout: 10_000, interval: 20 });
    } finally {
      await probe();
    }
  });
});

describe('a queue nobody serves', () => {
  it('a job queued a minute with no live worker says why in its view; a live worker makes it a plain queued job', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: OUTPUTS });
    const ctx = { actor: { type: 'operator' as const, id: licence.operatorId, licenses: [licence.licenseId] }, database: t.database, requestId: null, ip: null, authorize: async () => {} };
    // freshly queued: not yet worth a word
    expect((await getJob(ctx, id)).waiting).toBeUndefined();
    await age(id, 90_000);
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id));
    const view = await getJob(ctx, id);
    expect(view.status).toBe('queued');
    expect(view.waiting).toEqual({ reason: 'no-live-worker', since: row!.createdAt.toISOString() });
    // a worker that was seen after the job was queued, then went silent: waiting since its last heartbeat
    await workerAlive(t.database, 'w-dead');
    await t.database.db.update(jobWorkers).set({ heartbeatAt: sql`now() - interval '45 seconds'` });
    const [dead] = await t.database.db.select().from(jobWorkers);
    expect(await waitingFor(t.database.db, { id, status: 'queued' })).toEqual({ reason: 'no-live-worker', since: dead!.heartbeatAt.toISOString() });
    // a live worker: the job is simply queued
    await workerAlive(t.database, 'w-live');
    expect((await getJob(ctx, id)).waiting).toBeUndefined();
  });

  it('raises one no-workers alert per episode, none while a worker lives or before a job has waited a minute', async () => {
    const id = await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: OUTPUTS });
    expect(await checkQueueHealth(t.database)).toBeNull();
    await age(id, 61_000);
    await workerAlive(t.database, 'w-live');
    expect(await checkQueueHealth(t.database)).toBeNull();
    await t.database.db.update(jobWorkers).set({ heartbeatAt: sql`now() - interval '40 seconds'` });
    const raised = await checkQueueHealth(t.database);
    expect(raised).not.toBeNull();
    // the gateway looks again (and again): no second alert for the same episode
    expect(await checkQueueHealth(t.database)).toBeNull();
    expect(await checkQueueHealth(t.database)).toBeNull();
    const rows = await t.database.db.select().from(alerts);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: raised, kind: 'no-workers', severity: 'high', jobId: id, status: 'open', operatorId: null });
    expect(rows[0]!.details).toMatchObject({ waitingJobs: 1 });
    const audit = await t.database.sql.query<{ action: string }>('select action from audit_log where resource = $1', [`alert:${raised}`]);
    expect(audit.map((a) => a.action)).toEqual(['alert.raised']);
    // a worker comes back after the alert, then dies again with the job still waiting: a new episode, a new alert
    await age(id, 20 * 60_000);
    await t.database.db.update(alerts).set({ createdAt: sql`now() - interval '10 minutes'` });
    await workerAlive(t.database, 'w-back');
    expect(await checkQueueHealth(t.database)).toBeNull();
    await t.database.db.update(jobWorkers).set({ heartbeatAt: sql`now() - interval '5 minutes'` });
    expect(await checkQueueHealth(t.database)).not.toBeNull();
    expect(await t.database.db.select().from(alerts)).toHaveLength(2);
  });
});
