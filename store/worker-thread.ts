// A worker thread of this process running one of our modules, from the .ts sources (through tsx's loader, as
// `npm start` runs) or from built .js. Used for work that must stay off the gateway's event loop (loads, downloads).
import { createRequire } from 'node:module';
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
