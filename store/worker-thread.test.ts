// Background threads run at a lower priority than the event loop they were moved off, and only they do.
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, startWorkerThread } from './worker-thread.ts';

describe('startWorkerThread and runInBackground', () => {
  it.skipIf(!existsSync('/proc/thread-self'))('lower the thread to the background niceness and leave the main thread as it was', async () => {
    const before = getPriority(process.pid);
    const worker = startWorkerThread(import.meta.url, './worker-thread.fixture', 'priority-probe');
    worker.ref();
    const seen = await new Promise<{ thread: number; main: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(seen.thread).toBe(Math.min(19, before + BACKGROUND_NICE));
    expect(seen.main).toBe(before);
  }, 30_000);
});
