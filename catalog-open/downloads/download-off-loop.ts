// Downloads away from the caller's event loop. Reading, masking and writing a large download is CPU work (a million
// rows is seconds of it): on the gateway's main thread it would stall every other request while it streams. Where
// another thread can reach the database (a PostgreSQL server, or the embedded host's socket) a download of more than
// `smallDownloadRows` rows is produced by the download thread (download-thread.ts), from the plan's rules (functions
// do not cross threads), and its bytes come back as the client takes them: the thread writes a few chunks ahead, never
// more, so a slow client slows the thread instead of filling memory. Small downloads, and PGlite inside this process
// (which no other thread can reach), stream here as before.
import type { Worker } from 'node:worker_threads';
import { startWorkerThread, type Database } from '../../store/index.ts';
import type { FromDownloadThread, ToDownloadThread } from './download-thread-protocol.ts';
import type { DownloadPlan, MaskInputs } from './plan-download.ts';
import { streamDownload } from './stream-download.ts';

/** Downloads of up to this many rows (before filters) stream on the caller's thread. */
export const SMALL_DOWNLOAD_ROWS = 50_000;
/** Chunks the thread may write ahead of the client. */
const AHEAD = 4;

export interface DownloadOffLoopOptions {
  /** default SMALL_DOWNLOAD_ROWS; 0 sends every download the database allows to the thread */
  readonly smallDownloadRows?: number;
  /** told where the download ran (tests) */
  readonly onPlace?: (place: 'here' | 'download-thread') => void;
}

/** As streamDownload (same bytes), from the download thread when the download is large and the database reachable. */
export async function* streamDownloadOffLoop(
  database: Database,
  plan: DownloadPlan,
  inputs: Pick<MaskInputs, 'pseudonymKey' | 'asOf'>,
  onComplete?: () => Promise<void>,
  options: DownloadOffLoopOptions = {},
): AsyncGenerator<Uint8Array> {
  if (!database.reach || plan.rows <= (options.smallDownloadRows ?? SMALL_DOWNLOAD_ROWS)) {
    options.onPlace?.('here');
    yield* streamDownload(database, plan, onComplete);
    return;
  }
  options.onPlace?.('download-thread');
  const thread = downloadThread();
  const id = thread.nextId++;
  const queue: FromDownloadThread[] = [];
  let wake: (() => void) | null = null;
  thread.listeners.set(id, (message) => {
    queue.push(message);
    wake?.();
    wake = null;
  });
  thread.active++;
  thread.worker.ref();
  let finished = false;
  try {
    thread.post({
      type: 'download',
      id,
      reach: database.reach,
      format: plan.format,
      columns: plan.columns,
      maskRules: plan.maskRules,
      scan: plan.scan,
      sheetName: plan.code,
      pseudonymKey: inputs.pseudonymKey,
      asOf: inputs.asOf,
    });
    thread.post({ type: 'pull', id, chunks: AHEAD });
    for (;;) {
      const message = queue.shift();
      if (!message) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'end') break;
      if (message.type === 'failed') throw Object.assign(new Error(`the download thread failed: ${message.name}`), { code: message.code });
      thread.post({ type: 'pull', id, chunks: 1 });
      yield message.bytes;
    }
    finished = true;
  } finally {
    // the client went away (or the thread failed): stop the thread's read
    if (!finished) thread.post({ type: 'cancel', id });
    thread.listeners.delete(id);
    if (--thread.active === 0) thread.worker.unref();
  }
  await onComplete?.();
}

interface DownloadThread {
  readonly worker: Worker;
  readonly listeners: Map<number, (message: FromDownloadThread) => void>;
  post(message: ToDownloadThread): void;
  nextId: number;
  active: number;
}

let shared: DownloadThread | null = null;

/** The process's download thread, started on first use and kept. */
function downloadThread(): DownloadThread {
  if (shared) return shared;
  const worker = startWorkerThread(import.meta.url, './download-thread', 'open-downloads');
  const listeners = new Map<number, (message: FromDownloadThread) => void>();
  const thread: DownloadThread = { worker, listeners, post: (m) => worker.postMessage(m), nextId: 1, active: 0 };
  worker.on('message', (message: FromDownloadThread) => listeners.get(message.id)?.(message));
  const stopped = (name: string) => {
    if (shared === thread) shared = null;
    for (const [id, listener] of listeners) listener({ type: 'failed', id, name, code: undefined });
  };
  worker.on('error', (err) => stopped(err.name));
  worker.on('exit', () => stopped('exit'));
  shared = thread;
  return thread;
}
