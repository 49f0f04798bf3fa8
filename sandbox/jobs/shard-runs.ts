// The isolate runs of a large job as tasks any worker on the same PostgreSQL may run. The coordinating worker (the one
// holding the job) queues each run in job_shard_runs — the run exactly as it would go to its own pool: code, params,
// asOf, seed, limits and the shard's masked columns — and waits for its output; idle workers (worker.ts) and the
// coordinator itself, while it waits, claim queued runs with SKIP LOCKED and run them on their own isolate pools. A
// runner's lease makes a dead runner's task run again elsewhere; the job's tasks are deleted when it ends, when it is
// claimed again, and when its lease expires. Same runs, same inputs, same domain: only where they run changes.
import { deserialize, serialize } from 'node:v8';
import { and, asc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database, Db } from '../../store/index.ts';
import type { IsolatePool, ModelJob, ModelJobResult } from '../execution/index.ts';
import { jobs, jobShardRuns } from './schema.ts';
import { notifyWorkers } from './wake.ts';

/** NOTIFYed when a task is done: the coordinators waiting on it look again. (Queued tasks wake workers on JOBS_CHANNEL.) */
export const SHARD_RUNS_DONE_CHANNEL = 'gdp_shard_runs_done';
/** A task's lease, renewed while it runs: a runner gone this long leaves its task to another. */
export const SHARD_RUN_LEASE_MS = 30_000;
/** The backstop poll of a waiting coordinator (a NOTIFY is the usual wake-up). */
const POLL_MS = 250;

/** What a task's output holds: the run's result, or a platform fault of the pool (bad input: a platform mistake). */
type Envelope = { readonly result: ModelJobResult } | { readonly fault: string };

export interface ShardRunOptions {
  /** lease per claimed task; default SHARD_RUN_LEASE_MS */
  readonly leaseMs?: number;
  /** backstop poll while waiting (ms); default 250 */
  readonly pollMs?: number;
}

export interface ShardRunner {
  /** Runs one isolate run as a task of the job; resolves with its result as pool.run would (rejects on a platform fault). */
  run(job: ModelJob): Promise<ModelJobResult>;
  /** Deletes the job's tasks (whatever the outcome) while this worker still holds it, and stops listening. */
  close(): Promise<void>;
}

/** Whether runs of a large job go to every worker: PostgreSQL with sessions of its own (the embedded database stays local). */
export const distributesShardRuns = (database: Database): boolean => database.kind === 'postgres' && !database.singleSession;

/**
 * The distributed runner of one job, for the worker holding its lease (runs are queued only while it does). While a
 * run waits, the runner claims queued tasks (its own job's first) and runs them on `pool`, at most `pool.size` at
 * once: one worker alone still finishes the job.
 */
export function shardRunner(database: Database, pool: IsolatePool, jobId: string, workerId: string, options: ShardRunOptions = {}): ShardRunner {
  const pollMs = options.pollMs ?? POLL_MS;
  let next = 0;
  let local = 0;
  let closed = false;
  /** bumped on every NOTIFY: a waiter that saw an older value looks again at once */
  let generation = 0;
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    generation++;
    for (const w of waiters) w();
  };
  // a worker that lost the job leaves its tasks alone: they may be the next holder's (whose first run cleared ours)
  const clearHeldShardRuns = () =>
    database.db.delete(jobShardRuns).where(and(eq(jobShardRuns.jobId, jobId), sql`exists (${database.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, workerId)))})`));
  let ready: Promise<(() => Promise<void>) | null> | null = null;
  // lazily: a job that never distributes a run costs nothing; the first run also clears a previous attempt's orphans
  const start = () =>
    (ready ??= (async () => {
      await clearHeldShardRuns();
      return database.listen(SHARD_RUNS_DONE_CHANNEL, wakeAll);
    })());

  const wait = (seen: number) =>
    new Promise<void>((resolve) => {
      if (generation !== seen) return resolve();
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      waiters.add(done);
    });

  return {
    async run(job) {
      await start();
      if (closed) throw new Error('shard runner closed');
      const seq = next++;
      await database.db.transaction(async (tx) => {
        // only while this worker holds the job: the lock orders this insert before any requeue of the job, so a worker
        // that claims it again (and clears its tasks first) never meets a task of this attempt
        const [held] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.leaseOwner, workerId), gt(jobs.leaseExpiresAt, sql`now()`)))
          .for('share');
        if (!held) throw new Error('the job is no longer leased to this worker');
        await tx.insert(jobShardRuns).values({ jobId, seq, input: serialize(job) });
        await notifyWorkers(tx);
      });
      for (;;) {
        const seen = generation;
        const state = await takeOutput(database, jobId, seq);
        if (state === 'gone') throw new Error('a shard run of this job was deleted (the job was claimed again elsewhere)');
        if (state !== 'pending') return decode(state);
        if (local < pool.size) {
          local++;
          try {
            if (await runQueuedShard(database, pool, workerId, { ...options, preferJob: jobId })) continue;
          } finally {
            local--;
          }
        }
        await wait(seen);
      }
    },
    async close() {
      closed = true;
      if (!ready) return;
      const unlisten = await ready.catch(() => null);
      wakeAll();
      await clearHeldShardRuns();
      await unlisten?.().catch(() => {});
    },
  };
}

/** The task's output, deleting the task, once it is done; 'pending' before; 'gone' when the task no longer exists. */
async function takeOutput(database: Database, jobId: string, seq: number): Promise<Uint8Array | 'pending' | 'gone'> {
  const key = and(eq(jobShardRuns.jobId, jobId), eq(jobShardRuns.seq, seq));
  const [row] = await database.db.select({ status: jobShardRuns.status }).from(jobShardRuns).where(key);
  if (!row) return 'gone';
  if (row.status !== 'done') return 'pending';
  const [taken] = await database.db.delete(jobShardRuns).where(and(key, eq(jobShardRuns.status, 'done'))).returning({ output: jobShardRuns.output });
  return taken?.output ?? 'gone';
}

function decode(bytes: Uint8Array): ModelJobResult {
  const envelope = deserialize(bytes) as Envelope;
  if ('fault' in envelope) throw new Error(`a shard run failed on the platform: ${envelope.fault}`);
  return envelope.result;
}

/**
 * Claims one queued task (or one whose runner's lease expired), `preferJob`'s first, runs it on `pool` and writes its
 * output. Resolves false when nothing was queued. A runner that lost its task's lease writes nothing.
 */
export async function runQueuedShard(database: Database, pool: IsolatePool, workerId: string, options: ShardRunOptions & { preferJob?: string } = {}): Promise<boolean> {
  const leaseMs = options.leaseMs ?? SHARD_RUN_LEASE_MS;
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new TypeError('leaseMs must be a positive integer');
  const t = jobShardRuns;
  const next = database.db
    .select({ jobId: t.jobId, seq: t.seq })
    .from(t)
    .where(or(eq(t.status, 'queued'), and(eq(t.status, 'running'), lt(t.leaseUntil, sql`now()`))))
    .orderBy(sql`(${t.jobId} = ${options.preferJob ?? ''}) desc`, asc(t.createdAt), asc(t.seq))
    .limit(1)
    .for('update', { skipLocked: true });
  const [task] = await database.db
    .update(t)
    .set({ status: 'running', workerId, leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(sql`(${t.jobId}, ${t.seq}) = (${next})`, or(eq(t.status, 'queued'), eq(t.status, 'running'))))
    .returning({ jobId: t.jobId, seq: t.seq, input: t.input });
  if (!task) return false;
  const mine = and(eq(t.jobId, task.jobId), eq(t.seq, task.seq), eq(t.status, 'running'), eq(t.workerId, workerId));
  const renew = setInterval(() => void database.db.update(t).set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` }).where(mine).catch(() => {}), Math.max(10, Math.floor(leaseMs / 3)));
  let envelope: Envelope;
  try {
    envelope = { result: await pool.run(deserialize(task.input) as ModelJob) };
  } catch (err) {
    // what the pool rejects for (sizes, malformed columns, a closed pool) names no data value
    envelope = { fault: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown' };
  } finally {
    clearInterval(renew);
  }
  await database.db.transaction(async (tx) => {
    const written = await tx.update(t).set({ status: 'done', output: serialize(envelope), leaseUntil: null }).where(mine).returning({ seq: t.seq });
    if (written.length > 0) await tx.execute(sql`select pg_notify(${SHARD_RUNS_DONE_CHANNEL}, '')`);
  });
  return true;
}

/** Deletes the tasks of these jobs: they ended, or their coordinator is gone. */
export async function clearShardRuns(db: Pick<Db, 'delete'>, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.delete(jobShardRuns).where(inArray(jobShardRuns.jobId, [...jobIds]));
}
