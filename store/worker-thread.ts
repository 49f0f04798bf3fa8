// A worker thread of this process running one of our modules, from the .ts sources (through tsx's loader, as
// `npm start` runs) or from built .js. Used for work that must stay off the gateway's event loop (loads, downloads).
import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getPriority, setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts `entry` (a module URL next to the caller's, named without extension) as a worker thread. The thread starts
 * unref'd: an idle one never keeps the process alive; ref() it while work is in flight.
 */
export function startWorkerThread(callerUrl: string, entry: string, name: string): Worker {
  const typescript = callerUrl.endsWith('.ts');
  const url = new URL(`${entry}${typescript ? '.ts' : '.js'}`, callerUrl);
  const execArgv = typescript ? ['--import', pathToFileURL(createRequire(callerUrl).resolve('tsx')).href] : [];
  const worker = new Worker(url, { execArgv, name, stdout: false, stderr: false });
  worker.unref();
  return worker;
}

/** How much nicer background work is than the thread that started it (CFS then weights them about 1:10). */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's CPU priority by BACKGROUND_NICE (at most to 19), so that on a busy machine the gateway's
 * event loop is scheduled first. On Linux a thread has a priority of its own, set through its thread id (threads and
 * processes it starts afterwards inherit it); elsewhere nothing changes.
 */
export function runInBackground(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + BACKGROUND_NICE));
  } catch {
    // no /proc (not Linux) or not allowed: the thread keeps its priority
  }
}
