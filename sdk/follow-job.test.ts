// How wait/result end for every state a job can be in, and how they give up (the platform's side is scripted here;
// the real gateway, real HTTP and dropped connections are in gateway/routes/operator-cli-reattach.test.ts).
import { describe, expect, it } from 'vitest';
import { EXIT, followJob, type JobView } from './follow-job.ts';
import { PlatformError } from './operator-client.ts';
import { UsageError } from './usage-error.ts';

const ID = '3f2b8c1e-0000-4000-8000-000000000001';

/** A platform whose job goes through `states` (one per look), and whose connection fails as `failures` say. */
function platform(states: Partial<JobView>[], failures: unknown[] = []) {
  let look = 0;
  const requests: string[] = [];
  return {
    requests,
    client: {
      async request<T>(method: string, path: string): Promise<T> {
        requests.push(`${method} ${path}`);
        const failure = failures.shift();
        if (failure) throw failure;
        if (path.endsWith('/result')) return { jobId: ID, dryRun: false, checked: true, result: { tables: [] }, record: { checks: [{ check: 'dp_noise', outcome: 'applied' }] } } as T;
        const state = states[Math.min(look++, states.length - 1)]!;
        return { id: ID, createdAt: '2026-12-07T10:00:00.000Z', ...state } as T;
      },
    },
  };
}

async function run(options: { wait: boolean; timeoutMs?: number }, p: ReturnType<typeof platform>, retryMs = 1000) {
  const err: string[] = [];
  const out: string[] = [];
  const code = await followJob(
    { jobId: ID, wait: options.wait, timeoutMs: options.timeoutMs ?? 60_000 },
    { client: p.client, writeFile: async () => {}, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, pollMs: 1, retry: { maxMs: retryMs, baseMs: 1, capMs: 4 } },
  ).catch((e: unknown) => e);
  return { code, stderr: err.join('').replace(/^\[\s*[\d.]+s\] /gm, ''), stdout: out.join('') };
}

describe('followJob', () => {
  it('wait: follows queued → running → succeeded and prints the result; says when no worker is alive', async () => {
    const r = await run({ wait: true }, platform([{ status: 'queued' }, { status: 'queued', waiting: { reason: 'no-live-worker', since: '2026-12-07T10:00:30.000Z' } }, { status: 'running' }, { status: 'succeeded' }]));
    expect(r.code).toBe(EXIT.released);
    expect(r.stderr.split('\n')).toEqual([
      `job ${ID}: queued`,
      "queued since 2026-12-07T10:00:00.000Z and no worker is alive (since 2026-12-07T10:00:30.000Z): the platform's staff must start one",
      'running',
      'checks: dp_noise applied',
      'released',
      '',
    ]);
  });

  it('exit codes: failed and rejected 1 with the reason, review 3, still running 4 (result does not wait), timeout 4', async () => {
    const failed = await run({ wait: true }, platform([{ status: 'failed', error: { code: 'RUN_FAILED', reason: 'the run failed' } }]));
    expect(failed.code).toBe(EXIT.notReleased);
    expect(failed.stderr).toMatch(/^failed: RUN_FAILED: the run failed$/m);
    const rejected = await run({ wait: false }, platform([{ status: 'rejected', error: { code: 'DISCLOSURE', reason: 'a cell below the threshold' } }]));
    expect(rejected.code).toBe(EXIT.notReleased);
    expect(rejected.stderr).toMatch(/^checks: a cell below the threshold\nnot released$/m);
    const review = await run({ wait: true }, platform([{ status: 'review', privacy: { dp: false, epsilon: null } }]));
    expect(review.code).toBe(EXIT.inReview);
    expect(review.stderr).toMatch(/two stewards' review/);
    const running = await run({ wait: false }, platform([{ status: 'running' }]));
    expect(running.code).toBe(EXIT.pending);
    expect(running.stderr).toMatch(new RegExp(`not finished; wait for it with: operator -- wait ${ID}`));
    const slow = await run({ wait: true, timeoutMs: 20 }, platform([{ status: 'queued' }]));
    expect(slow.code).toBe(EXIT.pending);
    expect(slow.stderr).toMatch(/still queued after 0.02s/);
    for (const r of [failed, rejected, review, running, slow]) expect(r.stdout).toBe('');
  });

  it('rides out failures of the connection, gives up after the window with exit 4, and calls a foreign id a usage error', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const back = await run({ wait: true }, platform([{ status: 'succeeded' }], [reset, new PlatformError(503, 'X', 'x', undefined)]));
    expect(back.code).toBe(EXIT.released);
    expect(back.stderr).toMatch(/connection lost \(ECONNRESET\), retrying in 1 s …\nconnection lost \(HTTP 503\), retrying in 1 s …\nconnection back after/);
    const down = await run({ wait: true }, platform([{ status: 'running' }], Array.from({ length: 1000 }, () => reset)), 30);
    expect(down.code).toBe(EXIT.pending);
    expect(down.stderr).toMatch(new RegExp(`gave up; the job goes on without the CLI — follow it later with: operator -- wait ${ID}`));
    const foreign = await run({ wait: true }, platform([], [new PlatformError(404, 'NOT_FOUND', 'no such job', undefined)]));
    expect(foreign.code).toBeInstanceOf(UsageError);
    expect((foreign.code as Error).message).toBe(`no job ${ID} among your jobs (operator -- jobs lists them)`);
    // a refusal is not retried
    const p = platform([], [new PlatformError(401, 'UNAUTHORIZED', 'token', undefined)]);
    expect((await run({ wait: true }, p)).code).toBeInstanceOf(PlatformError);
    expect(p.requests).toHaveLength(1);
  });
});
