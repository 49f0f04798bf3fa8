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

export type IsolateOutcome =
  | { ok: true; header: string; body: ArrayBuffer; usage: Omit<JobUsage, 'wallMs'> }
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
function fromRunner(reply: unknown, job: JobMessage): { ok: true; header: string; body: ArrayBuffer } | { ok: false; failure: SandboxFailure } {
  if (!Array.isArray(reply)) return { ok: false, failure: badOutputFromIsolate(null) };
  const [status, a, b, c] = reply as unknown[];
  if (status === 0 && typeof a === 'string' && b instanceof ArrayBuffer) return { ok: true, header: a, body: b };
  if (status === 1) return { ok: false, failure: redactRuntimeError(a, positionInSource(job.code, b, c)) };
  if (status === 2) return { ok: false, failure: badOutputFromIsolate(a) };
  if (status === 3) return { ok: false, failure: { code: 'OUTPUT_TOO_LARGE', reason: `the output exceeds ${job.limits.maxOutputBytes} bytes` } };
  if (status === 4) return { ok: false, failure: { code: 'MEMORY_LIMIT', reason: `the memory limit of ${job.limits.memoryMb} MiB was exceeded` } };
  return { ok: false, failure: badOutputFromIsolate(null) };
}

/**
 * Runs the job and disposes the isolate. Never throws for anything the operator's code does; `recycle` asks the pool
 * to replace this worker process (a limit was hit, so the process may hold damaged state).
 * @param body the input columns as laid out by `job.layout`, still arriving: the isolate is set up and the module
 *   compiled meanwhile; ownership of the buffer moves into the isolate
 * @throws (rejects) only when `body` rejects (the data socket broke)
 */
export async function runIsolateJob(job: JobMessage, body: Promise<ArrayBuffer>): Promise<IsolateOutcome> {
  const started = performance.now();
  const { limits } = job;
  const inputMb = Math.ceil(job.layout.bytes / MiB);
  // The input columns count against memoryLimit (they are moved in), so they are added to the operator's allowance.
  const isolate = new ivm.Isolate({
    memoryLimit: limits.memoryMb + inputMb,
    // v8 has lost control of the isolate: nothing in this process can be trusted any more
    onCatastrophicError: () => process.abort(),
  });
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
    const context = await isolate.createContext();
    const harden = await context.eval(HARDEN_SOURCE, { filename: 'platform-harden.js', reference: true, timeout: remaining() });
    const describeThrown = await harden.apply(undefined, [job.asOf], { result: { reference: true }, timeout: remaining() });
    const makeRunner = await context.eval(RUNNER_SOURCE, { filename: 'platform-runner.js', reference: true, timeout: remaining() });
    const runner = await makeRunner.apply(undefined, [describeThrown.derefInto(), job.asOf], { result: { reference: true }, timeout: remaining() });

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
    if (read.ok && read.header.length + read.body.byteLength > limits.maxOutputBytes) {
      return { ok: false, failure: { code: 'OUTPUT_TOO_LARGE', reason: `the output exceeds ${limits.maxOutputBytes} bytes` }, usage: usage(), recycle: false };
    }
    if (read.ok) return { ...read, usage: usage() };
    return { ...read, usage: usage(), recycle: read.failure.code === 'MEMORY_LIMIT' };
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
