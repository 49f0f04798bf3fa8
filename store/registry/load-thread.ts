// The load thread (load-off-loop.ts): runs loadDataset on connections of its own, reading the upload from messages.
// It holds no connection between loads, so a database can be dropped or a server restarted under an idle thread.
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../errors/index.ts';
import { openReach } from '../open-postgres.ts';
import { runInBackground } from '../worker-thread.ts';
import { loadDataset } from './load-dataset.ts';
import type { FromThread, ThreadError, ThreadLoad, ToThread } from './load-thread-protocol.ts';

/** Chunks asked for ahead of the parser: enough to keep it busy, few enough to bound memory (about 4 × 64 KiB). */
const AHEAD = 4;

const port = parentPort;
if (!port) throw new Error('load-thread.ts runs as a worker thread (store/registry/load-off-loop.ts)');
const post = (message: FromThread) => port.postMessage(message);
runInBackground();

/** An upload as an async iterable fed by messages, asking for the next chunk as each one is taken. */
class Upload implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private state: 'open' | 'ended' | 'aborted' = 'open';
  private wake: (() => void) | null = null;

  constructor(private readonly id: number) {
    post({ type: 'pull', id, chunks: AHEAD });
  }

  push(message: ToThread): void {
    if (message.type === 'chunk') this.chunks.push(message.bytes);
    else if (message.type === 'end') this.state = 'ended';
    else if (message.type === 'abort') this.state = 'aborted';
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        post({ type: 'pull', id: this.id, chunks: 1 });
        yield chunk;
        continue;
      }
      if (this.state === 'ended') return;
      if (this.state === 'aborted') throw new Error('the upload broke');
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

const uploads = new Map<number, Upload>();

function errorOf(err: unknown): ThreadError {
  if (isAppError(err)) return { app: true, code: err.code, message: err.message, details: err.details };
  const e = err as { name?: unknown; code?: unknown };
  return { app: false, name: typeof e?.name === 'string' ? e.name : 'Error', code: typeof e?.code === 'string' ? e.code : undefined };
}

async function load({ id, reach, input }: ThreadLoad): Promise<void> {
  const upload = new Upload(id);
  uploads.set(id, upload);
  // one connection: a load is one transaction
  const database = openReach(reach, 1);
  try {
    const result = await loadDataset(database, { ...input, body: upload, onProgress: (rows, bytes) => post({ type: 'progress', id, rows, bytes }) });
    post({ type: 'done', id, result });
  } catch (err) {
    post({ type: 'failed', id, error: errorOf(err) });
  } finally {
    uploads.delete(id);
    await database.close().catch(() => {});
  }
}

port.on('message', (message: ToThread) => {
  if (message.type === 'load') void load(message);
  else uploads.get(message.id)?.push(message);
});
