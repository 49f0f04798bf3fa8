// The download thread (download-off-loop.ts): reads, masks and writes a planned download on connections of its own,
// sending the bytes back as the caller asks for them. It holds no connection between downloads.
import { parentPort } from 'node:worker_threads';
import { columnMask } from '../../policies/index.ts';
import { openReach, runInBackground } from '../../store/index.ts';
import { writeRows } from '../formats/index.ts';
import type { FromDownloadThread, ThreadDownload, ToDownloadThread } from './download-thread-protocol.ts';
import { maskedBatches } from './stream-download.ts';

const port = parentPort;
if (!port) throw new Error('download-thread.ts runs as a worker thread (catalog-open/downloads/download-off-loop.ts)');
const post = (message: FromDownloadThread) => port.postMessage(message);
runInBackground();

interface Running {
  credit: number;
  cancelled: boolean;
  wake: (() => void) | null;
}
const running = new Map<number, Running>();

async function download(job: ThreadDownload): Promise<void> {
  const state: Running = { credit: 0, cancelled: false, wake: null };
  running.set(job.id, state);
  const database = openReach(job.reach);
  try {
    const masks = job.maskRules.map((rule) => columnMask(rule, { pseudonymKey: job.pseudonymKey, asOf: job.asOf }));
    for await (const chunk of writeRows(job.format, job.columns, maskedBatches(database, { scan: job.scan, masks }), { sheetName: job.sheetName })) {
      while (state.credit === 0 && !state.cancelled) await new Promise<void>((resolve) => (state.wake = resolve));
      if (state.cancelled) return;
      state.credit--;
      // cloned, not transferred: writers' chunks may sit in Node's shared buffer pool, which cannot move
      post({ type: 'chunk', id: job.id, bytes: chunk });
    }
    post({ type: 'end', id: job.id });
  } catch (err) {
    const e = err as { name?: unknown; code?: unknown };
    post({ type: 'failed', id: job.id, name: typeof e?.name === 'string' ? e.name : 'Error', code: typeof e?.code === 'string' ? e.code : undefined });
  } finally {
    running.delete(job.id);
    await database.close().catch(() => {});
  }
}

port.on('message', (message: ToDownloadThread) => {
  if (message.type === 'download') {
    void download(message);
    return;
  }
  const state = running.get(message.id);
  if (!state) return;
  if (message.type === 'pull') state.credit += message.chunks;
  else state.cancelled = true;
  state.wake?.();
  state.wake = null;
});
