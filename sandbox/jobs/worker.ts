// A job worker: requeue dead workers' jobs, claim the next job, run it, repeat. Any number of them, in any process on
// any machine sharing the database (claims use SKIP LOCKED; leases make a dead worker's job retry).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import type { ConfinementOptions } from '../confinement/index.ts';
import type { RandomSource } from '../dp/index.ts';
import { jobObserver, type JobObserver } from '../../telemetry/index.ts';
import type { IsolatePool } from '../execution/index.ts';
import { claimJob } from './claim-job.ts';
import { requeueExpired } from './requeue-expired.ts';
import { runJob } from './run-job.ts';
import type { SlotOptions } from './slot.ts';

export interface WorkerOptions {
  database: Database;
  pool: IsolatePool;
  policies: PolicySet;
  pseudonymSecret: Uint8Array;
  /** default `<host>:<pid>:<random>` */
  workerId?: string;
  /** lease per claim, renewed by heartbeats; default 60 s */
  leaseMs?: number;
  /** wait between polls of an empty queue; default 1 s */
  pollMs?: number;
  /** told about platform failures (the job itself stays leased and is retried after the lease expires) */
  onError?: (err: unknown) => void;
  /** the fixed time slot of a real run (slot.ts); tests shorten it; 'none' only for benchmarks */
  slot?: SlotOptions | 'none';
  /** tests only: seeded partitions and noise */
  confinement?: ConfinementOptions;
  rng?: RandomSource;
  /** spans and metrics of each job (telemetry/jobs.ts); default the process's own */
  observe?: JobObserver;
}

export interface JobWorker {
  readonly id: string;
  /** One round: requeue expired leases, claim and run one job. Resolves true when it ran a job. */
  runOnce(): Promise<boolean>;
  /** Starts polling; returns at once. */
  start(): void;
  /** Stops polling and waits for the running job to finish. */
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): JobWorker {
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const observe = options.observe ?? jobObserver;

  async function runOnce(): Promise<boolean> {
    const expired = await requeueExpired(options.database);
    observe.leasesExpired({ requeued: expired.requeued.length, failed: expired.failed.length });
    const claimStartedAt = Date.now();
    const job = await claimJob(options.database, id, leaseMs);
    if (!job) return false;
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
    };
    await observe.job({ id: job.id, operation: job.operation, attempt: job.attempts, createdAt: job.createdAt }, claimStartedAt, () => runJob(job, runOptions));
    return true;
  }

  async function poll(): Promise<void> {
    while (running) {
      let ran = false;
      try {
        ran = await runOnce();
      } catch (err) {
        observe.roundFailed(err);
        options.onError?.(err);
      }
      if (!ran && running) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    id,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = poll();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
