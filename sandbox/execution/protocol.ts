// Messages between the pool (supervisor) and an isolate worker process. Control messages travel over the IPC channel
// as JSON; bodies follow as raw bytes, in the same order: input columns on the data socket (the worker's fd 3), output
// arrays on the output socket (a Unix socket the worker listens on, path in argv[2], and the pool connects to).
import type { SandboxFailure } from './failure.ts';
import type { JobLimits } from './limits.ts';
import type { InputLayout } from './wire.ts';

/** File descriptor of the data socket in the worker (stdio index 3). */
export const DATA_FD = 3;

export interface JobUsage {
  /** CPU time the isolate spent running code */
  cpuMs: number;
  /** wall time from dispatch to the checked result, transfers included (measured by the pool) */
  wallMs: number;
  /** the isolate's heap plus external (ArrayBuffer) memory at the end of the run */
  memoryBytes: number;
}

/** pool → worker; `layout.bytes` body bytes follow on the data socket */
export interface JobMessage {
  t: 'job';
  id: number;
  code: string;
  layout: InputLayout;
  /** the job's params as JSON text */
  params: string;
  limits: JobLimits;
  /** ms since 1970: what Date.now() returns inside the isolate */
  asOf: number;
  /** seeds Math.random inside the isolate (every run of one job gets the same sequence) */
  seed: number;
}

export type ToWorker = JobMessage | { t: 'shutdown' };

/** worker → pool; after an `ok` result, `bytes` body bytes follow on the output socket */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'result'; id: number; ok: true; header: string; bytes: number; usage: Omit<JobUsage, 'wallMs'> }
  | { t: 'result'; id: number; ok: false; failure: SandboxFailure; usage: Omit<JobUsage, 'wallMs'>; recycle: boolean };
