// A large job's isolate runs shared by every worker on one PostgreSQL (shard-runs.ts): three workers, each with its own
// isolate pool, release a job of several main shards exactly once, with what one worker alone releases, its runs done
// by more than one of them; a failing run fails the job as it would locally; a dead runner's task is run by another.
// (PostgreSQL only: the embedded database keeps every run on its one worker.)
import { serialize } from 'node:v8';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, testDatabaseKind, type Database, type TestDatabase } from '../../store/index.ts';
import { seededShuffleRandom } from '../confinement/index.ts';
import { SeededRandom } from '../dp/testing.ts';
import { createIsolatePool, type IsolatePool, type ModelJob } from '../execution/index.ts';
import { jobResults, jobs, jobShardRuns } from './schema.ts';
import { runQueuedShard, shardRunner } from './shard-runs.ts';
import { queueJob, seedLicence, seedPopulation, TEST_PSEUDONYM_SECRET, TEST_SLOT } from './testing.ts';
import { notifyWorkers } from './wake.ts';
import { createWorker, type JobWorker } from './worker.ts';

const ROWS = 3000;
const policies = loadPolicies();
// row-local, and slow enough (a busy loop per run) that idle workers find runs still queued
const COUNT_BY_SEX = `export function map(c) {
  let x = 0;
  for (let i = 0; i < 2e7; i++) x += i & 1;
  return { keys: { sex: c.sex }, measures: { income: c.annual_income.map((v) => v + (x & 0)) } };
}`;
const OUTPUTS = [
  { name: 'n', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } },
  { name: 'income', kind: 'sum', by: ['sex'], measure: 'income', bounds: { lo: 0, hi: 500000 }, domain: { sex: ['男', '女'] } },
];
// passes the preflight (200 synthetic rows in one run), fails on every real shard
const FAILS_ON_REAL = 'export function map(c, p, info) { if (info.rowCount > 250) throw new Error("too big"); return { keys: { sex: c.sex } }; }';

let t: TestDatabase;
const pools: IsolatePool[] = [];
let licence: { operatorId: string; licenseId: string };

const workerOptions = (database: Database, pool: IsolatePool, workerId: string) => ({
  database,
  pool,
  policies,
  pseudonymSecret: TEST_PSEUDONYM_SECRET,
  workerId,
  slot: TEST_SLOT,
  rng: new SeededRandom(5),
  confinement: { maxShardRows: 500, random: seededShuffleRandom(3) },
  shareShardRuns: true,
});

async function ended(id: string) {
  await vi.waitFor(
    async () => {
      const [row] = await t.database.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id));
      expect(['queued', 'running']).not.toContain(row!.status);
    },
    { timeout: 120_000, interval: 100 },
  );
  const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id));
  const [result] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
  return { row: row!, tables: (result?.result as { tables?: unknown } | undefined)?.tables ?? null };
}

describe.skipIf(testDatabaseKind() === 'pglite')('shard runs shared by the workers of one PostgreSQL', () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedPopulation(t.database, ROWS);
    licence = await seedLicence(t.database, { maxJobsPerDay: 100, epsilon: 50 });
    for (let i = 0; i < 3; i++) pools.push(createIsolatePool({ size: 1 }));
    // which worker finished each run, kept past the run's deletion (test-only: a trigger on the task table)
    await t.database.sql.query(`create table shard_run_log (job_id text, seq int, worker_id text)`);
    await t.database.sql.query(`create function log_shard_run() returns trigger language plpgsql as $$ begin insert into shard_run_log values (new.job_id, new.seq, new.worker_id); return new; end $$`);
    await t.database.sql.query(`create trigger shard_run_done after update on job_shard_runs for each row when (new.status = 'done') execute function log_shard_run()`);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await t?.drop();
  });

  /** The job run by one worker alone, every run on its own pool (the embedded database's path). */
  async function alone(code: string, outputs: unknown[] = OUTPUTS) {
    const id = await queueJob(t.database, licence, { code, outputs, datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }] });
    const local: Database = { ...t.database, singleSession: true };
    expect(await createWorker(workerOptions(local, pools[0]!, 'alone')).runOnce()).toBe(true);
    return ended(id);
  }

  /** The job queued to three started workers. */
  async function shared(code: string, outputs: unknown[] = OUTPUTS) {
    const workers: JobWorker[] = pools.map((pool, i) => createWorker(workerOptions(t.database, pool, `w${i}`)));
    for (const w of workers) w.start();
    try {
      const id = await queueJob(t.database, licence, { code, outputs, datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }] });
      await t.database.db.transaction((tx) => notifyWorkers(tx));
      return { id, ...(await ended(id)) };
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }

  it('releases a job of several main shards once, as one worker alone does, its runs done by several workers', async () => {
    const baseline = await alone(COUNT_BY_SEX);
    expect(baseline.row.status).toBe('succeeded');
    const run = await shared(COUNT_BY_SEX);
    expect(run.row).toMatchObject({ status: 'succeeded', attempts: 1, leaseOwner: null });
    expect(run.tables).toEqual(baseline.tables);
    expect(await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, run.id))).toHaveLength(1);
    const audit = await t.database.sql.query(`select 1 from audit_log where action = 'job.succeeded' and resource = $1`, [`job:${run.id}`]);
    expect(audit).toHaveLength(1);
    // 6 main shards and two check partitions of 8: every run a task, each done once, by more than one worker
    const log = await t.database.sql.query<{ seq: number; worker_id: string }>(`select seq, worker_id from shard_run_log where job_id = $1`, [run.id]);
    expect(log.length).toBeGreaterThanOrEqual(20);
    expect(new Set(log.map((l) => l.seq)).size).toBe(log.length);
    expect(new Set(log.map((l) => l.worker_id)).size).toBeGreaterThan(1);
    expect(await t.database.db.select().from(jobShardRuns)).toEqual([]);
  }, 180_000);

  it('fails the job RUN_FAILED when a run fails, as one worker alone does, and leaves no task behind', async () => {
    const baseline = await alone(FAILS_ON_REAL, OUTPUTS.slice(0, 1));
    const run = await shared(FAILS_ON_REAL, OUTPUTS.slice(0, 1));
    expect(baseline.row).toMatchObject({ status: 'failed', errorCode: 'RUN_FAILED' });
    expect(run.row).toMatchObject({ status: 'failed', errorCode: 'RUN_FAILED', errorReason: baseline.row.errorReason, attempts: 1 });
    // the failure came back from tasks, and staff see the same sandbox code as for the local run
    expect((await t.database.sql.query(`select 1 from shard_run_log where job_id = $1`, [run.id])).length).toBeGreaterThan(0);
    const internal = (id: string) => t.database.sql.query<{ code: string }>(`select details->>'internalCode' as code from audit_log where action = 'job.failed' and resource = $1`, [`job:${id}`]);
    expect(await internal(run.id)).toHaveLength(1);
    expect(await internal(run.id)).toEqual(await internal(baseline.row.id));
    expect(await t.database.db.select().from(jobShardRuns)).toEqual([]);
  }, 180_000);

  it('runs a task again on another worker when its runner died (lease expired), and not while the lease holds', async () => {
    const jobId = await queueJob(t.database, licence, { code: 'x' });
    await t.database.sql.query(`update jobs set status = 'running', lease_owner = 'coordinator', lease_expires_at = now() + interval '1 minute' where id = $1`, [jobId]);
    const model: ModelJob = { code: 'export function map(c) { return { measures: { y: c.x.map((v) => 2 * v) } }; }', columns: { x: Float64Array.from([1, 2, 3]) }, asOf: 0, seed: 1 };
    // a coordinator with no isolate of its own: it can only wait for others
    const idle = { size: 0, run: () => Promise.reject(new Error('no local runs')), close: async () => {}, stats: () => ({ workers: [], queued: 0, running: 0 }) } as IsolatePool;
    // a worker that does not hold the job queues nothing
    await expect(shardRunner(t.database, idle, jobId, 'not-the-holder').run(model)).rejects.toThrow(/no longer leased/);
    const runner = shardRunner(t.database, idle, jobId, 'coordinator', { pollMs: 50 });
    const result = runner.run(model);
    await vi.waitFor(async () => expect(await t.database.db.select().from(jobShardRuns).where(eq(jobShardRuns.jobId, jobId))).toHaveLength(1));
    // a runner claims it and dies: its lease holds for now, so nobody else may take it
    await t.database.sql.query(`update job_shard_runs set status = 'running', worker_id = 'dead', lease_until = now() + interval '1 second' where job_id = $1`, [jobId]);
    expect(await runQueuedShard(t.database, pools[1]!, 'w1')).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await runQueuedShard(t.database, pools[1]!, 'w1')).toBe(true);
    const got = await result;
    expect(got.ok && Array.from(got.output.measures.get('y')!)).toEqual([2, 4, 6]);
    const log = await t.database.sql.query<{ worker_id: string }>(`select worker_id from shard_run_log where job_id = $1`, [jobId]);
    expect(log.map((l) => l.worker_id)).toEqual(['w1']);
    // its output was taken with the task; closing leaves nothing of the job
    await runner.close();
    expect(await t.database.db.select().from(jobShardRuns).where(eq(jobShardRuns.jobId, jobId))).toEqual([]);
  }, 60_000);

  it('deletes a job\'s tasks when its lease expires (a dead coordinator)', async () => {
    const jobId = await queueJob(t.database, licence, { code: 'x' });
    await t.database.sql.query(`update jobs set status = 'running', lease_owner = 'dead', lease_expires_at = now() - interval '1 second', attempts = 1 where id = $1`, [jobId]);
    await t.database.db.insert(jobShardRuns).values({ jobId, seq: 0, input: serialize({}) });
    const worker = createWorker(workerOptions(t.database, pools[2]!, 'sweeper'));
    // the sweep requeues the job and drops its orphans; the worker then claims it again
    await worker.runOnce();
    expect(await t.database.db.select().from(jobShardRuns).where(eq(jobShardRuns.jobId, jobId))).toEqual([]);
  }, 60_000);
});
