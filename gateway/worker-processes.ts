// `npm start` runs its job workers as child processes (WORKERS of them, default 1): the gateway's event loop never
// runs a job. Each is `npm run worker`'s entry (sandbox/worker.ts), restarted with back-off when it dies, stopped when
// the gateway stops; if the gateway itself is killed, the IPC channel closes and each worker stops on its own.
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from './logger.ts';

/** Gateway-only secrets a worker never needs. */
const NOT_FOR_WORKERS = ['BOOTSTRAP_SECURITY_PASSWORD', 'BOOTSTRAP_STEWARD_PASSWORD', 'FEDERATION_KEY', 'METRICS_PORT', 'METRICS_HOST', 'METRICS_TOKEN'];
/** restart back-off: doubling from FIRST to MOST; a worker that lived STEADY resets it */
const FIRST_RESTART_MS = 1000;
const MOST_RESTART_MS = 30_000;
const STEADY_MS = 60_000;
/** how long a stopping worker may take to finish its job before it is killed (inside the gateway's own 10 s) */
const STOP_GRACE_MS = 8000;

export interface WorkerProcesses {
  /** a job was queued: wake every worker now (where the database's NOTIFY cannot reach them) */
  wake(): void;
  /** the workers' process ids now */
  pids(): number[];
  /** stops every worker (SIGTERM: each finishes its job) and waits for them to exit */
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  count: number;
  /** added to the gateway's environment (minus its own secrets), e.g. the embedded database's socket */
  env?: Record<string, string>;
  /** the gateway's own metrics listener: worker i then serves its /metrics and /healthz on port + 1 + i */
  metrics?: { port: number; host: string } | null;
  logger: Logger;
}

export function startWorkerProcesses({ count, env = {}, metrics = null, logger }: WorkerProcessOptions): WorkerProcesses {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? '../sandbox/worker.ts' : '../sandbox/worker.js', here));
  const preload = fileURLToPath(new URL(typescript ? '../telemetry/worker-preload.ts' : '../telemetry/worker-preload.js', here));
  const execArgv = [...(typescript ? ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] : []), '--import', pathToFileURL(preload).href];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of NOT_FOR_WORKERS) delete childEnv[key];

  let stopping = false;
  const children: (ChildProcess | null)[] = Array.from({ length: count }, () => null);
  const exits = new Set<Promise<void>>();

  function run(slot: number, delay: number): void {
    if (stopping) return;
    const startedAt = Date.now();
    const own = metrics ? { METRICS_PORT: String(metrics.port + 1 + slot), METRICS_HOST: metrics.host } : {};
    const child = fork(entry, [], { execArgv, env: { ...childEnv, ...own }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children[slot] = child;
    // an IPC write to a worker that just died is not the gateway's problem
    child.on('error', () => {});
    const exited = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        children[slot] = null;
        exits.delete(exited);
        done();
        if (stopping) return;
        if (code === 2) {
          // the worker's configuration is wrong: restarting cannot help, and it said why on stderr
          logger.error({ slot, code }, 'job worker refused to start; not restarting it');
          return;
        }
        const next = Date.now() - startedAt >= STEADY_MS ? FIRST_RESTART_MS : Math.min(delay * 2, MOST_RESTART_MS);
        logger.error({ slot, code, signal, restartInMs: next }, 'job worker exited; restarting it');
        setTimeout(() => run(slot, next), next).unref();
      }),
    );
    exits.add(exited);
  }

  for (let slot = 0; slot < count; slot++) run(slot, FIRST_RESTART_MS / 2);
  if (count > 0) logger.info({ workers: count }, 'job worker processes started');

  return {
    wake() {
      for (const child of children) if (child?.connected) child.send({ t: 'wake' }, () => {});
    },
    pids: () => children.flatMap((c) => (c?.pid ? [c.pid] : [])),
    async stop() {
      stopping = true;
      const running = children.filter((c): c is ChildProcess => c !== null);
      for (const child of running) child.kill('SIGTERM');
      const killer = setTimeout(() => {
        for (const child of running) child.kill('SIGKILL');
      }, STOP_GRACE_MS).unref();
      await Promise.all([...exits]);
      clearTimeout(killer);
    },
  };
}
