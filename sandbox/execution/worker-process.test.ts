import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveLimits } from './limits.ts';
import type { JobMessage } from './protocol.ts';
import { layoutColumns } from './wire.ts';
import { WorkerProcess } from './worker-process.ts';

const FAKE = fileURLToPath(new URL('./fixtures/fake-worker.mjs', import.meta.url));
const { layout, chunks } = layoutColumns({ x: Float64Array.of(1, 2, 3) });
const job = (code: string): JobMessage => ({ t: 'job', id: 7, code, layout, params: '{}', limits: resolveLimits({ wallTimeMs: 200, cpuTimeMs: 100 }), asOf: 0, seed: 0 });
const guards = { deadlineMs: 400, rssLimitMb: 4096, maxBodyBytes: 1024 };

let worker: WorkerProcess;
async function fake(): Promise<WorkerProcess> {
  worker = new WorkerProcess({ execArgv: [], entry: FAKE });
  await worker.ready;
  return worker;
}
afterEach(() => worker?.kill(null));

describe('WorkerProcess guards', () => {
  it('passes a worker’s answer through', async () => {
    expect(await (await fake()).run(job('fine'), chunks, guards)).toMatchObject({ ok: false, failure: { code: 'RUNTIME_ERROR' }, recycle: false });
  });

  it('kills a worker that does not answer within the deadline (TIMEOUT)', async () => {
    const w = await fake();
    expect(await w.run(job('hang'), chunks, guards)).toMatchObject({ ok: false, failure: { code: 'TIMEOUT' }, recycle: true });
    await w.exited;
    expect(w.isAlive).toBe(false);
  });

  it('kills a worker at v8’s fatal OOM banner, long before the deadline (MEMORY_LIMIT)', async () => {
    const started = performance.now();
    const result = await (await fake()).run(job('oom'), chunks, { ...guards, deadlineMs: 30_000 });
    expect(result).toMatchObject({ ok: false, failure: { code: 'MEMORY_LIMIT' }, recycle: true });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it.runIf(process.platform === 'linux')('kills a worker whose resident memory passes its cap (MEMORY_LIMIT)', async () => {
    const result = await (await fake()).run(job('grow'), chunks, { ...guards, deadlineMs: 30_000, rssLimitMb: 150 });
    expect(result).toMatchObject({ ok: false, failure: { code: 'MEMORY_LIMIT' } });
  });

  it('reports a worker that died mid-job as WORKER_CRASHED', async () => {
    expect(await (await fake()).run(job('exit'), chunks, guards)).toMatchObject({ ok: false, failure: { code: 'WORKER_CRASHED' }, recycle: true });
  });

  it('kills a worker that answers for another job', async () => {
    expect(await (await fake()).run(job('lie'), chunks, guards)).toMatchObject({ ok: false, failure: { code: 'WORKER_CRASHED' } });
  });
});
