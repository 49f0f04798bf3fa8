// A thread for worker-thread.test.ts: lowers its priority and says what the kernel now reports for it and for the
// process's main thread.
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runInBackground } from './worker-thread.ts';

const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
runInBackground();
parentPort!.postMessage({ thread: getPriority(tid), main: getPriority(process.pid) });
