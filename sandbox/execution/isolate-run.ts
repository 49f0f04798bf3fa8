// Runs one model job in a fresh isolate (inside an isolate worker process): harden, compile, copy in, map, copy out.
import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import { badOutputFromIsolate, positionInSource, redactRuntimeError, redactSyntaxError, type SandboxFailure } from './failure.ts';
import type { JobMessage, JobUsage } from './protocol.ts';

/** The hardening prelude and the runner, run in every isolate before operator code (see their headers). */
const HARDEN_SOURCE = readFileSync(new URL('./isolate-harden.js', import.meta.url), 'utf8');
const RUNNER_SOURCE = readFileSync(new URL('./isolate-runner.js', import.meta.url), 'utf8');
/** The operator module's file name inside the isolate; isolate-harden.js matches stack frames against it. */
const MODEL_FILE = 'model.js';
const MiB = 1024 * 1024;
const CPU_POLL_MS = 10;
/** rows, keys, measures, features and label: at most 3 × 256 + 2 arrays (the runner's MAX_COLUMNS per section) */
const MAX_PARTS = 3 * 256 + 2;

export type IsolateOutcome =
  | { ok: true; header: string; bodies: ArrayBuffer[]; usage: Omit<JobUsage, 'wallMs'> }
  | { ok: false; failure: SandboxFailure; usage: Omit<JobUsage, 'wallMs'>; recycle: boolean };

type Phase = 'setup' | 'compile' | 'evaluate' | 'map';

/** A limit hit, told apart from operator errors by the isolate's state, never by a message the operator could fake. */
function limitFailure(isolate: ivm.Isolate, cpuExceeded: boolean, job: JobMessage, err: unknown): SandboxFailure | null {
  if (cpuExceeded) return { code: 'TIMEOUT', reason: `the CPU time limit of ${job.limits.cpuTimeMs} ms was exceeded` };
  if (isolate.isDisposed) return { code: 'MEMORY_LIMIT', reason: `the memory limit of ${job.limits.memoryMb} MiB was exceeded` };
  if (err instanceof Error && err.message === 'Script execution timed out.') {
    return { code: 'TIMEOUT', reason: `the wall time limit of ${job.limits.wallTimeMs} ms was exceeded` };
  }
  return null;
}

/** Where in the model an error from the module body was created, read from the stack the runtime formatted. */
function bodyErrorPosition(err: unknown, source: string) {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const frame = stack.split('\n').find((line) => line.startsWith('    at ') && line.includes(`${MODEL_FILE}:`));
  const match = frame ? new RegExp(`${MODEL_FILE.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(frame) : null;
  return match ? positionInSource(source, Number(match[1]), Number(match[2])) : null;
}

/** Interprets the runner's inert reply (see runModel in isolate-runner.js). */
function fromRunner(reply: unknown, job: JobMessage): { ok: true; header: string; parts: number } | { ok: false; failure: SandboxFailure } {
  if (!Array.isArray(reply)) return { ok: false, failure: badOutputFromIsolate(null) };
  const [status, a, b, c] = reply as unknown[];
  if (status === 0 && typeof a === 'string' && Number.isInteger(b) && (b as number) >= 0 && (b as number) <= MAX_PARTS) return { ok: true, header: a, parts: b as number };
  if (status === 1) return { ok: false, failure: redactRuntimeError(a, positionInSource(job.code, b, c)) };
  if (status === 2) return { ok: false, failure: badOutputFromIsolate(a) };
  if (status === 3) return { ok: false, failure: tooLarge(job) };
  if (status === 4) return { ok: false, failure: { code: 'MEMORY_LIMIT', reason: `the memory limit of ${job.limits.memoryMb} MiB was exceeded` } };
  return { ok: false, failure: badOutputFromIsolate(null) };
}

const tooLarge = (job: JobMessage): SandboxFailure => ({ code: 'OUTPUT_TOO_LARGE', reason: `the output exceeds ${job.limits.maxOutputBytes} bytes` });

/**
 * Copies the output buffers out of the isolate, each with one memcpy (an ExternalCopy of a lone ArrayBuffer, moved
 * into this heap without a second copy). Null when one is not an ArrayBuffer or they exceed the output cap.
 */
async function takeBodies(takeBody: ivm.Reference, parts: number, room: number, timeout: () => number): Promise<ArrayBuffer[] | null> {
  const bodies: ArrayBuffer[] = [];
  for (let i = 0; i < parts; i++) {
    const copy: unknown = await takeBody.apply(undefined, [i], { result: { externalCopy: true }, timeout: timeout() });
    if (!(copy instanceof ivm.ExternalCopy)) return null;
    const body: unknown = copy.copy({ transferIn: true });
    copy.release();
    if (!(body instanceof ArrayBuffer)) return null;
    room -= body.byteLength;
    if (room < 0) return null;
    bodies.push(body);
  }
  return bodies;
}

/**
 * An isolate made ahead of a job: a context with the platform's two scripts compiled, and nothing else run in it. No
 * operator code has touched it, so it is as clean as one made when the job arrives; it is used by at most one job.
 */
export interface PreparedIsolate {
  isolate: ivm.Isolate;
  /** memoryLimit it was made with: a job needing another one gets a fresh isolate instead */
  memoryLimitMb: number;
  context: ivm.Context;
  harden: ivm.Reference;
  makeRunner: ivm.Reference;
}

function newIsolate(memoryLimitMb: number): ivm.Isolate {
  return new ivm.Isolate({
    memoryLimit: memoryLimitMb,
    // v8 has lost control of the isolate: nothing in this process can be trusted any more
    onCatastrophicError: () => process.abort(),
  });
}

async function compilePlatform(isolate: ivm.Isolate, memoryLimitMb: number, timeout: () => number): Promise<PreparedIsolate> {
  const context = await isolate.createContext();
  const harden = await context.eval(HARDEN_SOURCE, { filename: 'platform-harden.js', reference: true, timeout: timeout() });
  const makeRunner = await context.eval(RUNNER_SOURCE, { filename: 'platform-runner.js', reference: true, timeout: timeout() });
  return { isolate, memoryLimitMb, context, harden, makeRunner };
}

/** The isolate memory limit a job needs: the operator's allowance plus its input, which is moved in. */
export const isolateMemoryMb = (job: Pick<JobMessage, 'limits' | 'layout'>): number => job.limits.memoryMb + Math.ceil(job.layout.bytes / MiB);

/**
 * Makes an isolate for a future job (the worker calls this while idle, after a job, guessing the next job's memory
 * limit from the last one). Resolves with null when that fails; a prepared isolate that is never used must be disposed.
 */
export async function prepareIsolate(memoryLimitMb: number): Promise<PreparedIsolate | null> {
  const isolate = newIsolate(memoryLimitMb);
  try {
    return await compilePlatform(isolate, memoryLimitMb, () => 5000);
  } catch {
    if (!isolate.isDisposed) isolate.dispose();
    return null;
  }
}

/** Disposes a prepared isolate that will not be used. */
export function discardPrepared(prepared: PreparedIsolate | null): void {
  if (prepared && !prepared.isolate.isDisposed) prepared.isolate.dispose();
}

/**
 * Runs the job and disposes the isolate. Never throws for anything the operator's code does; `recycle` asks the pool
 * to replace this worker process (a limit was hit, so the process may hold damaged state).
 * @param body the input columns as laid out by `job.layout`, still arriving: the isolate is set up and the module
 *   compiled meanwhile; ownership of the buffer moves into the isolate
 * @param prepared an isolate made ahead of time (prepareIsolate); used when its memory limit is the job's, else
 *   disposed. Either way it is consumed.
 * @throws (rejects) only when `body` rejects (the data socket broke)
 */
export async function runIsolateJob(job: JobMessage, body: Promise<ArrayBuffer>, prepared: PreparedIsolate | null = null): Promise<IsolateOutcome> {
  const started = performance.now();
  const { limits } = job;
  const memoryLimitMb = isolateMemoryMb(job);
  // The input columns count against memoryLimit (they are moved in), so they are added to the operator's allowance.
  const warm = prepared && prepared.memoryLimitMb === memoryLimitMb && !prepared.isolate.isDisposed ? prepared : null;
  if (!warm) discardPrepared(prepared);
  const isolate = warm ? warm.isolate : newIsolate(memoryLimitMb);
  let cpuExceeded = false;
  const cpuWatch = setInterval(() => {
    try {
      if (!isolate.isDisposed && Number(isolate.cpuTime) / 1e6 > limits.cpuTimeMs) {
        cpuExceeded = true;
        isolate.dispose();
      }
    } catch {
      // disposed meanwhile
    }
  }, CPU_POLL_MS);
  const remaining = () => Math.max(1, Math.floor(limits.wallTimeMs - (performance.now() - started)));
  const usage = () => {
    let cpuMs = 0;
    let memoryBytes = 0;
    try {
      cpuMs = Number(isolate.cpuTime) / 1e6;
      const heap = isolate.getHeapStatisticsSync();
      memoryBytes = heap.total_heap_size + heap.externally_allocated_size;
    } catch {
      // disposed: the numbers are gone with it
    }
    return { cpuMs, memoryBytes };
  };
  let phase: Phase = 'setup';
  try {
    const { context, harden, makeRunner } = warm ?? (await compilePlatform(isolate, memoryLimitMb, remaining));
    // hardening runs before any operator code, in a prepared isolate as in a fresh one
    const describeThrown = await harden.apply(undefined, [job.asOf, job.seed], { result: { reference: true }, timeout: remaining() });
    const pair = (await makeRunner.apply(undefined, [describeThrown.derefInto(), job.asOf], { result: { reference: true }, timeout: remaining() })) as ivm.Reference<[unknown, unknown]>;
    // made by platform code before any operator code ran: plain own elements (get refuses getters and proxies)
    const runner = await pair.get(0, { reference: true });
    const takeBody = await pair.get(1, { reference: true });

    phase = 'compile';
    // Compiled from source every time: no cachedData from anyone (CVE-2022-39266 was a crafted cache).
    const module = await isolate.compileModule(job.code, { filename: MODEL_FILE });
    if (module.dependencySpecifiers.length > 0) {
      return { ok: false, failure: { code: 'SYNTAX_ERROR', reason: 'a model is a single module: import declarations are not allowed' }, usage: usage(), recycle: false };
    }
    await module.instantiate(context, () => {
      throw new Error('imports are not allowed');
    });
    phase = 'evaluate';
    // The module body runs before any data is in the isolate, so nothing it throws can carry a data value.
    await module.evaluate({ timeout: remaining() });

    const columns = await body;
    phase = 'map';
    const input = new ivm.ExternalCopy(columns, { transferOut: true });
    const reply: unknown = await runner.apply(
      undefined,
      [module.namespace.derefInto(), input.copyInto({ transferIn: true, release: true }), JSON.stringify(job.layout), job.params, limits.maxOutputBytes],
      { timeout: remaining(), result: { copy: true } },
    );
    const read = fromRunner(reply, job);
    if (!read.ok) return { ...read, usage: usage(), recycle: read.failure.code === 'MEMORY_LIMIT' };
    const room = limits.maxOutputBytes - read.header.length;
    const bodies = room < 0 ? null : await takeBodies(takeBody, read.parts, room, remaining);
    if (bodies === null) return { ok: false, failure: room < 0 ? tooLarge(job) : badOutputFromIsolate(null), usage: usage(), recycle: false };
    return { ok: true, header: read.header, bodies, usage: usage() };
  } catch (err) {
    const limit = limitFailure(isolate, cpuExceeded, job, err);
    if (limit) return { ok: false, failure: limit, usage: usage(), recycle: true };
    let failure: SandboxFailure;
    if (phase === 'compile') failure = redactSyntaxError(err instanceof Error ? err.message : '', job.code);
    else if (phase === 'evaluate') failure = redactRuntimeError(err instanceof Error ? err.name : null, bodyErrorPosition(err, job.code));
    // the runner catches everything the operator's code throws: reaching here is a fault of the platform or of v8
    else failure = { code: 'WORKER_CRASHED', reason: 'the sandbox failed while running the model' };
    return { ok: false, failure, usage: usage(), recycle: failure.code === 'WORKER_CRASHED' };
  } finally {
    clearInterval(cpuWatch);
    if (!isolate.isDisposed) isolate.dispose();
  }
}
