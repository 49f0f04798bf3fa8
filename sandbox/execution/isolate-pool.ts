// The supervisor: a pool of isolate worker processes that runs operators' model jobs, one job per worker at a time.
//
// Every job gets a fresh isolate inside a worker process. A worker that hit a limit, crashed, was killed by a guard,
// or has run `maxJobsPerWorker` jobs is replaced by a new process; the pool keeps serving meanwhile.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../errors/index.ts';
import { decodeOutput, type MapOutput } from './decode-output.ts';
import type { SandboxFailureCode } from './failure.ts';
import { MAX_CODE_LENGTH, MAX_PARAMS_LENGTH, resolveLimits, type JobLimits } from './limits.ts';
import type { JobMessage, JobUsage } from './protocol.ts';
import { layoutColumns, type ColumnInput } from './wire.ts';
import { WorkerProcess, type WorkerCommand, type WorkerJobResult } from './worker-process.ts';

export interface IsolatePoolOptions {
  /** worker processes; default: the number of CPUs */
  size?: number;
  /** replace a worker after this many jobs even when all went well; default 200 */
  maxJobsPerWorker?: number;
  /** time a worker gets beyond a job's wallTimeMs before the supervisor kills it; default 2000 ms */
  graceMs?: number;
  /** the worker process's own V8 heap (not the isolates'); default 256 MiB */
  workerHeapMb?: number;
  /**
   * Resident memory a worker may use beyond its job's budget before it is killed (MEMORY_LIMIT); default 256 MiB. It
   * covers the worker's own ~70 MiB, v8's overshoot of an isolate's limit and what it allocates between two readings.
   */
  rssHeadroomMb?: number;
}

export interface ModelJob {
  /** the operator's ES module source; it must export `map` (see model-api.d.ts) */
  code: string;
  /** the licensed, masked columns, all of one length */
  columns: Readonly<Record<string, ColumnInput>>;
  /** the operator's parameters: a JSON object */
  params?: Readonly<Record<string, unknown>>;
  limits?: Partial<JobLimits>;
  /** what Date.now() returns inside the isolate; default midnight UTC today */
  asOf?: Date | number;
  /** seeds Math.random inside the isolate (a 32-bit integer); default 0 */
  seed?: number;
}

export type ModelJobResult =
  | { ok: true; output: MapOutput; usage: JobUsage }
  | { ok: false; code: SandboxFailureCode; reason: string; usage: JobUsage | null };

export interface PoolStats {
  /** peakRssMb: the most resident memory the worker was seen using during its jobs (0 where /proc is absent) */
  workers: { pid: number | null; state: 'starting' | 'idle' | 'busy' | 'empty'; jobsRun: number; peakRssMb: number }[];
  queued: number;
  running: number;
}

export interface IsolatePool {
  /**
   * Runs a job. Resolves with a failure for anything the model does; rejects only for bad input:
   * @throws (rejects) AppError VALIDATION_FAILED when the code or params are too large or params are not a JSON object
   * @throws (rejects) AppError NOT_READY after close()
   * @throws (rejects) TypeError when the columns or limits are malformed (a platform mistake)
   */
  run(job: ModelJob): Promise<ModelJobResult>;
  /** Finishes accepted jobs, then stops every worker. */
  close(): Promise<void>;
  /** A snapshot for health checks and tests. */
  stats(): PoolStats;
  readonly size: number;
}

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;
const MAX_START_FAILURES = 5;

/** How to start a worker from this source tree: through tsx's loader when running from .ts sources. */
function defaultCommand(workerHeapMb: number): WorkerCommand {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? './isolate-worker.ts' : './isolate-worker.js', here));
  const loader = typescript ? ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] : [];
  // --no-node-snapshot: isolated-vm's README requires it from Node 20 on (isolates made from a process started from
  // Node's startup snapshot can crash); --max-old-space-size caps the worker's own heap, not the isolates'
  return { execArgv: ['--no-node-snapshot', `--max-old-space-size=${workerHeapMb}`, ...loader], entry };
}

function checkParams(params: unknown): string {
  if (params === undefined) return '{}';
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new AppError('VALIDATION_FAILED', 'params must be a JSON object');
  let text: string;
  try {
    text = JSON.stringify(params);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'params must be a JSON object');
  }
  if (text.length > MAX_PARAMS_LENGTH) throw new AppError('VALIDATION_FAILED', `params must be at most ${MAX_PARAMS_LENGTH} characters as JSON`);
  return text;
}

interface Slot {
  worker: WorkerProcess | null;
  state: PoolStats['workers'][number]['state'];
  startFailures: number;
}

interface Queued {
  message: Omit<JobMessage, 'id'>;
  chunks: Uint8Array[];
  resolve(result: ModelJobResult): void;
}

/** Starts `size` workers at once; they are ready a few hundred ms later (jobs queue meanwhile). */
export function createIsolatePool(options: IsolatePoolOptions = {}): IsolatePool {
  const size = options.size ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new TypeError('size must be an integer from 1 to 256');
  const maxJobsPerWorker = options.maxJobsPerWorker ?? 200;
  const graceMs = options.graceMs ?? 2000;
  const rssHeadroomMb = options.rssHeadroomMb ?? 256;
  const command = defaultCommand(options.workerHeapMb ?? 256);

  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, state: 'empty', startFailures: 0 }));
  const queue: Queued[] = [];
  let nextId = 1;
  let closing = false;
  let active = 0;
  let onDrained: (() => void) | null = null;

  const hasWork = () => active > 0 || queue.length > 0;

  function start(slot: Slot): void {
    if (closing && !hasWork()) return;
    let worker: WorkerProcess;
    try {
      worker = new WorkerProcess(command);
    } catch {
      // e.g. no room in the temporary directory for the output socket: a failed start, retried with back-off
      slot.worker = null;
      slot.state = 'empty';
      if (++slot.startFailures >= MAX_START_FAILURES) return giveUpIfAllFailed();
      setTimeout(() => start(slot), 100 * 2 ** slot.startFailures);
      return;
    }
    slot.worker = worker;
    slot.state = 'starting';
    let started = false;
    worker.ready.then(
      () => {
        started = true;
        if (slot.worker !== worker) return;
        slot.startFailures = 0;
        slot.state = 'idle';
        dispatch();
      },
      () => {},
    );
    void worker.exited.then(() => {
      if (slot.worker !== worker) return; // retired: its successor is already starting
      slot.worker = null;
      slot.state = 'empty';
      if (!started && ++slot.startFailures >= MAX_START_FAILURES) return giveUpIfAllFailed();
      // back off when workers die at start (a broken install), not after a crash during a job
      setTimeout(() => start(slot), started ? 0 : 100 * 2 ** slot.startFailures);
    });
  }

  function giveUpIfAllFailed(): void {
    if (slots.some((s) => s.state !== 'empty' || s.startFailures < MAX_START_FAILURES)) return;
    for (const job of queue.splice(0)) job.resolve({ ok: false, code: 'WORKER_CRASHED', reason: 'the sandbox workers cannot start', usage: null });
    checkDrained();
  }

  function checkDrained(): void {
    if (closing && !hasWork()) onDrained?.();
  }

  /**
   * Replaces a worker: the old one is detached first, so its exit does not touch the slot. After a limit was hit it is
   * killed outright (its heap may be damaged: exiting normally after an isolate's OOM can itself crash).
   */
  function retire(slot: Slot, worker: WorkerProcess, damaged: boolean): void {
    slot.worker = null;
    slot.state = 'empty';
    if (damaged) worker.kill(null);
    else void worker.stop(graceMs);
    start(slot);
  }

  async function execute(slot: Slot, worker: WorkerProcess, job: Queued): Promise<void> {
    const started = performance.now();
    const message: JobMessage = { ...job.message, id: nextId++ };
    const { limits, layout } = message;
    const isolateMb = limits.memoryMb + Math.ceil(layout.bytes / MiB);
    let limitHit = true; // until the worker says otherwise: an unexpected throw below replaces the worker too
    try {
      const result: WorkerJobResult = await worker.run(message, job.chunks, {
        deadlineMs: limits.wallTimeMs + graceMs,
        // the job's isolate, the one prepared for the next job and the input while it is copied in; and the output on
        // its way out, which had to fit in the isolate first
        rssLimitMb: rssHeadroomMb + 3 * isolateMb + Math.min(isolateMb, Math.ceil(limits.maxOutputBytes / MiB)),
        maxBodyBytes: limits.maxOutputBytes,
      });
      limitHit = !result.ok && (result.recycle || result.failure.code === 'TIMEOUT' || result.failure.code === 'MEMORY_LIMIT');
      const wallMs = performance.now() - started;
      if (result.ok) {
        const decoded = decodeOutput(result.header, result.body, layout.rowCount, limits.maxOutputBytes);
        const usage = { ...result.usage, wallMs };
        job.resolve(decoded.ok ? { ok: true, output: decoded.output, usage } : { ok: false, ...decoded.failure, usage });
      } else {
        job.resolve({ ok: false, ...result.failure, usage: result.usage ? { ...result.usage, wallMs } : null });
      }
    } finally {
      if (slot.worker === worker) {
        if (limitHit || !worker.isAlive || worker.jobsRun >= maxJobsPerWorker) retire(slot, worker, limitHit);
        else slot.state = 'idle';
      }
    }
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      const worker = slot.worker;
      if (slot.state !== 'idle' || !worker) continue;
      slot.state = 'busy';
      const job = queue.shift()!;
      active++;
      execute(slot, worker, job)
        .catch(() => job.resolve({ ok: false, code: 'WORKER_CRASHED', reason: 'the sandbox failed while running the model', usage: null }))
        .finally(() => {
          active--;
          checkDrained();
          dispatch();
        });
    }
  }

  for (const slot of slots) start(slot);

  return {
    size,
    async run(job: ModelJob): Promise<ModelJobResult> {
      if (closing) throw new AppError('NOT_READY', 'the sandbox is shutting down');
      if (typeof job.code !== 'string') throw new TypeError('code must be a string');
      if (job.code.length > MAX_CODE_LENGTH) throw new AppError('VALIDATION_FAILED', `a model must be at most ${MAX_CODE_LENGTH} characters`);
      const params = checkParams(job.params);
      const limits = resolveLimits(job.limits);
      const { layout, chunks } = layoutColumns(job.columns);
      const asOf = job.asOf === undefined ? Math.floor(Date.now() / DAY_MS) * DAY_MS : Number(job.asOf);
      if (!Number.isFinite(asOf)) throw new TypeError('asOf must be a valid date');
      const seed = job.seed ?? 0;
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new TypeError('seed must be a 32-bit unsigned integer');
      return new Promise((resolve) => {
        queue.push({ message: { t: 'job', code: job.code, layout, params, limits, asOf, seed }, chunks, resolve });
        dispatch();
      });
    },
    stats(): PoolStats {
      return {
        workers: slots.map((slot) => ({
          pid: slot.worker?.pid ?? null,
          state: slot.state,
          jobsRun: slot.worker?.jobsRun ?? 0,
          peakRssMb: Math.round(slot.worker?.peakRssMb ?? 0),
        })),
        queued: queue.length,
        running: active,
      };
    },
    async close(): Promise<void> {
      if (!closing) {
        closing = true;
        if (hasWork()) await new Promise<void>((resolve) => (onDrained = resolve));
      }
      await Promise.all(slots.map((slot) => slot.worker?.stop(graceMs)));
    },
  };
}
