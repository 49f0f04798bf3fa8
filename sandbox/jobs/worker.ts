// A job worker: requeue dead workers' jobs, claim the next job, run it, repeat. Any number of them, in any process on
// any machine sharing the database (claims use SKIP LOCKED; leases make a dead worker's job retry). An idle worker
// sleeps until a NOTIFY says a job was queued (wake.ts) or, as a backstop for leases expiring on their own, a slow
// poll; before sleeping it runs queued shard runs of other workers' large jobs (shard-runs.ts). It keeps its row in
// job_workers fresh so that a queue nobody serves is seen (queue-health.ts).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import type { ConfinementOptions } from '../confinement/index.ts';
import type { RandomSource } from '../dp/index.ts';
import { jobObserver, type JobObserver } from '../../telemetry/index.ts';
import type { IsolatePool } from '../execution/index.ts';
import { claimJob } from './claim-job.ts';
import { WORKER_HEARTBEAT_MS, workerAlive, workerGone } from './queue-health.ts';
import { requeueExpired } from './requeue-expired.ts';
import { JOBS_CHANNEL } from './wake.ts';
import { runJob } from './run-job.ts';
import { distributesShardRuns, runQueuedShard } from './shard-runs.ts';
import type { SlotOptions } from './slot.ts';

/** How often a worker sweeps expired leases back into the queue, at most (ms). */
export const REQUEUE_EVERY_MS = 1000;

export interface WorkerOptions {
  database: Database;
  pool: IsolatePool;
  policies: PolicySet;
  pseudonymSecret: Uint8Array;
  /** default `<host>:<pid>:<random>` */
  workerId?: string;
  /** lease per claim, renewed by heartbeats; default 60 s */
  leaseMs?: number;
  /** wait between polls of an empty queue: default 10 s when NOTIFY reaches the worker, else 1 s */
  pollMs?: number;
  /** told about platform failures (the job itself stays leased and is retried after the lease expires) */
  onError?: (err: unknown) => void;
  /** the fixed time slot of a real run (slot.ts); tests shorten it; 'none' only for benchmarks */
  slot?: SlotOptions | 'none';
  /** queue a large job's isolate runs for every worker (run-job.ts `shareShardRuns`); default off */
  shareShardRuns?: boolean;
  /** tests only: seeded partitions and noise */
  confinement?: ConfinementOptions;
  rng?: RandomSource;
  /** spans and metrics of each job (telemetry/jobs.ts); default the process's own */
  observe?: JobObserver;
  /** told when this worker has run a job (its id and the status it ended with); ids and codes only */
  onJobEnd?: (job: { id: string; status: string; completed: boolean }) => void;
}

export interface JobWorker {
  readonly id: string;
  /**
   * One round: requeue expired leases (at most once a second), claim and run one job — or, with no job queued, up to
   * the pool's size of queued shard runs. Resolves true when it ran either.
   */
  runOnce(): Promise<boolean>;
  /** Starts the loop (listening, heartbeats, claims); returns at once. */
  start(): void;
  /** Ends an idle wait now: there may be work (a job was queued where NOTIFY cannot reach this worker). */
  wake(): void;
  /** Stops the loop, waits for the running job to finish, and removes the worker's row. */
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): JobWorker {
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  let pollMs = options.pollMs ?? 1000;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  /** a wake-up that came while a job ran: the next wait is skipped */
  let pending = false;
  let unlisten: (() => Promise<void>) | null = null;
  let beat: NodeJS.Timeout | null = null;
  const alive = () => void workerAlive(options.database, id).catch((err: unknown) => options.onError?.(err));
  const wakeUp = () => {
    pending = true;
    wake?.();
  };
  const observe = options.observe ?? jobObserver;
  let requeuedAt = -Infinity;

  async function runOnce(): Promise<boolean> {
    // expired leases are looked for at most once a second: a lease lasts seconds, and a job woken by NOTIFY should
    // not wait for the sweep's transaction before its claim
    if (performance.now() - requeuedAt >= REQUEUE_EVERY_MS) {
      requeuedAt = performance.now();
      const expired = await requeueExpired(options.database);
      observe.leasesExpired({ requeued: expired.requeued.length, failed: expired.failed.length });
    }
    const claimStartedAt = Date.now();
    const job = await claimJob(options.database, id, leaseMs);
    if (!job) return distributesShardRuns(options.database) ? runQueuedShards() : false;
    const runOptions = {
      database: options.database,
      pool: options.pool,
      policies: options.policies,
      pseudonymSecret: options.pseudonymSecret,
      workerId: id,
      leaseMs,
      ...(options.slot ? { slot: options.slot } : {}),
      ...(options.confinement ? { confinement: options.confinement } : {}),
      ...(options.rng ? { rng: options.rng } : {}),
      ...(options.shareShardRuns ? { shareShardRuns: true } : {}),
    };
    const end = await observe.job({ id: job.id, operation: job.operation, attempt: job.attempts, createdAt: job.createdAt }, claimStartedAt, () => runJob(job, runOptions));
    options.onJobEnd?.({ id: job.id, status: end.status, completed: end.completed });
    return true;
  }

  /** As many queued shard runs as the pool has isolates, at once (each claimed under its own lease). */
  async function runQueuedShards(): Promise<boolean> {
    const ran = await Promise.all(Array.from({ length: options.pool.size }, () => runQueuedShard(options.database, options.pool, id)));
    return ran.includes(true);
  }

  async function poll(): Promise<void> {
    try {
      unlisten = await options.database.listen(JOBS_CHANNEL, wakeUp);
      if (unlisten && options.pollMs === undefined) pollMs = 10_000;
    } catch (err) {
      options.onError?.(err);
    }
    while (running) {
      let ran = false;
      pending = false;
      try {
        ran = await runOnce();
      } catch (err) {
        observe.roundFailed(err);
        options.onError?.(err);
      }
      if (!ran && running && !pending) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      wake = null;
    }
  }

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      running = true;
      alive();
      beat = setInterval(alive, WORKER_HEARTBEAT_MS);
      beat.unref();
      loop = poll();
    },
    wake: wakeUp,
    async stop() {
      running = false;
      wake?.();
      await loop;
      if (beat) clearInterval(beat);
      await unlisten?.().catch(() => {});
      await workerGone(options.database, id).catch(() => {});
    },
  };
}
