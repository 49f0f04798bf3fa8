// Loads away from the caller's event loop. Parsing, checking and re-encoding an upload costs about 5 µs a row of CPU:
// on the gateway's main thread a large load stalls every other request, in slices of 50–80 ms, for as long as it runs.
// Where another thread can reach the database (a PostgreSQL server, or the embedded host's socket), an upload larger
// than `smallLoadBytes` goes to the load thread (load-thread.ts), which opens connections of its own; its bytes follow
// as they arrive, pulled by the thread a few chunks ahead (so a slow database slows the upload, never fills memory),
// and its result or refusal comes back as loadDataset's would. Small uploads, and PGlite inside this process (which no
// other thread can reach), load here: they are over before they could stall anything.
import { AppError, type ErrorCode } from '../../errors/index.ts';
import type { Database, DatabaseReach } from '../database.ts';
import { startWorkerThread } from '../worker-thread.ts';
import { loadDataset, type LoadDatasetInput, type LoadResult } from './load-dataset.ts';
import type { FromThread, ThreadLoad, ToThread } from './load-thread-protocol.ts';

/** Uploads up to this size load on the caller's thread. */
export const SMALL_LOAD_BYTES = 1 << 20;

export interface OffLoopOptions {
  /** default SMALL_LOAD_BYTES; 0 sends every load the database allows to the load thread */
  readonly smallLoadBytes?: number;
  /** told where the load ran (tests, metrics) */
  readonly onPlace?: (place: 'here' | 'load-thread') => void;
}

/** As loadDataset (same result, same errors), on the load thread when the upload is large and the database reachable. */
export async function loadDatasetOffLoop(database: Database, input: LoadDatasetInput, options: OffLoopOptions = {}): Promise<LoadResult> {
  const limit = options.smallLoadBytes ?? SMALL_LOAD_BYTES;
  const source = (input.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  // read ahead until the upload is known to be small (it ended) or large (it passed the limit)
  const head: Uint8Array[] = [];
  let bytes = 0;
  let ended = false;
  if (database.reach) {
    while (bytes <= limit) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      bytes += next.value.byteLength;
    }
  }
  const body = (async function* () {
    yield* head;
    if (!ended) for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  })();
  if (!database.reach || ended) {
    options.onPlace?.('here');
    return loadDataset(database, { ...input, body });
  }
  options.onPlace?.('load-thread');
  const { body: _body, onProgress, ...plain } = input;
  return loadThread().load(database.reach, plain, body, onProgress);
}

/** Starts the load thread ahead of the first large load (its start-up takes a second or two), where it can serve. */
export function prepareLoadThread(database: Database): void {
  if (database.reach) loadThread();
}

interface Pending {
  readonly body: AsyncIterator<Uint8Array>;
  readonly onProgress: LoadDatasetInput['onProgress'];
  /** chunks the thread asked for and has not been sent yet */
  wanted: number;
  sending: boolean;
  uploadError: { error: unknown } | null;
  resolve(result: LoadResult): void;
  reject(error: unknown): void;
}

interface LoadThread {
  load(reach: DatabaseReach, input: ThreadLoad['input'], body: AsyncIterator<Uint8Array>, onProgress: LoadDatasetInput['onProgress']): Promise<LoadResult>;
}

let shared: LoadThread | null = null;

/** The process's load thread, started on first use (its start-up, about a second, is paid once) and kept. */
function loadThread(): LoadThread {
  if (shared) return shared;
  const worker = startWorkerThread(import.meta.url, './load-thread', 'dataset-loads');
  const loads = new Map<number, Pending>();
  let nextId = 1;
  const post = (message: ToThread) => worker.postMessage(message);
  // an idle thread must not keep the process alive
  const refresh = () => (loads.size > 0 ? worker.ref() : worker.unref());

  const pump = async (id: number, pending: Pending) => {
    if (pending.sending) return;
    pending.sending = true;
    try {
      while (pending.wanted > 0 && loads.get(id) === pending) {
        pending.wanted--;
        let next: IteratorResult<Uint8Array>;
        try {
          next = await pending.body.next();
        } catch (error) {
          // the upload broke (the client went away): the thread rolls back, and the caller gets the upload's error
          pending.uploadError = { error };
          post({ type: 'abort', id });
          return;
        }
        if (next.done) {
          post({ type: 'end', id });
          return;
        }
        // cloned, not transferred: stream chunks may share their buffer, and a copy made here would be an
        // ArrayBuffer of this thread's, whose external memory sets off full collections on the event loop
        post({ type: 'chunk', id, bytes: next.value });
      }
    } finally {
      pending.sending = false;
    }
  };

  const settleAll = (error: Error) => {
    for (const p of loads.values()) p.reject(error);
    loads.clear();
    if (shared === thread) shared = null;
  };

  worker.on('message', (message: FromThread) => {
    const pending = loads.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'pull':
        pending.wanted += message.chunks;
        void pump(message.id, pending);
        return;
      case 'progress':
        pending.onProgress?.(message.rows, message.bytes);
        return;
      case 'done':
        loads.delete(message.id);
        refresh();
        pending.resolve(message.result);
        return;
      case 'failed': {
        loads.delete(message.id);
        refresh();
        const e = message.error;
        if (pending.uploadError) pending.reject(pending.uploadError.error);
        else if (e.app) pending.reject(new AppError(e.code as ErrorCode, e.message, e.details ? { details: e.details } : {}));
        else pending.reject(Object.assign(new Error(`the load thread failed: ${e.name}`), { code: e.code }));
        return;
      }
    }
  });
  worker.on('error', (err) => settleAll(new Error(`the load thread stopped: ${err.name}`)));
  worker.on('exit', (code) => settleAll(new Error(`the load thread exited (${code})`)));

  const thread: LoadThread = {
    load(reach, input, body, onProgress) {
      return new Promise<LoadResult>((resolve, reject) => {
        const id = nextId++;
        loads.set(id, { body, onProgress, wanted: 0, sending: false, uploadError: null, resolve, reject });
        refresh();
        post({ type: 'load', id, reach, input });
      });
    },
  };
  shared = thread;
  return thread;
}
