// Following a job to its end and showing what came of it — after `submit`, and on re-attaching with `wait` or `result`.
// Every request here only reads, so a dropped connection is ridden out (retry.ts) with its progress on stderr; the job
// goes on on the platform whatever happens to the CLI.
import { PlatformError } from './operator-client.ts';
import { resultChart, resultText, type JobResult } from './result-view.ts';
import { ConnectionLostError, retrying, type RetryOptions } from './retry.ts';
import { UsageError } from './usage-error.ts';

/** Exit codes of every command that shows a job. */
export const EXIT = { released: 0, notReleased: 1, usage: 2, inReview: 3, pending: 4 } as const;

export interface FollowDeps {
  client: { request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> };
  writeFile(path: string, content: string): Promise<void>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** between status polls; default 300 ms */
  pollMs?: number;
  /** how dropped connections are retried (default: up to 5 minutes) */
  retry?: RetryOptions;
}

export interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'review';
  licenseId?: string;
  datasets?: { code: string; fields: string[] }[];
  createdAt?: string;
  error?: { code: string; reason: string };
  privacy?: { dp: boolean; epsilon: number | null };
  dryRun?: boolean;
  /** a queued job nobody is going to run: no worker alive (when the platform says so) */
  waiting?: { reason: string; since: string } | null;
}

const FINAL = new Set(['succeeded', 'failed', 'rejected', 'review']);
const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Progress = ReturnType<typeof progress>;

/** Live progress: a spinner line on a terminal, one plain line per step otherwise. */
export function progress(stderr: FollowDeps['stderr']) {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  let current = '';
  let frame = 0;
  const tty = stderr.isTTY === true;
  let timer = tty ? setInterval(() => stderr.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${current} ${elapsed()}`), 100) : undefined;
  return {
    step(text: string) {
      current = text;
      stderr.write(`${tty ? '\r\x1b[K' : ''}[${elapsed().padStart(6)}] ${text}\n`);
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty && timer) stderr.write('\r\x1b[K');
      timer = undefined;
    },
  };
}

/** Reads `path` through dropped connections, telling `p` when the connection is lost and when it is back. */
export function readWithRetry<T>(deps: FollowDeps, p: Progress, path: string): Promise<T> {
  return retrying(() => deps.client.request<T>('GET', path), {
    ...deps.retry,
    onRetry: ({ reason, delayMs }) => p.step(`connection lost (${reason}), retrying in ${Math.max(1, Math.round(delayMs / 1000))} s …`),
    onRecovered: ({ elapsedMs }) => p.step(`connection back after ${(elapsedMs / 1000).toFixed(1)} s`),
  });
}

export interface FollowOptions {
  jobId: string;
  /** true: poll until the job ends (submit, wait); false: show it as it is now (result) */
  wait: boolean;
  timeoutMs: number;
  chart?: string | undefined;
  /** submit has already said "queued — job …" */
  announcedQueued?: boolean;
}

/**
 * Shows the job's progress on stderr until it ends (or as it is, for `wait: false`), then its result on stdout and the
 * chart. Resolves to an EXIT code; throws UsageError for a job that is not the caller's, PlatformError for refusals.
 */
export async function followJob(options: FollowOptions, deps: FollowDeps, p: Progress = progress(deps.stderr)): Promise<number> {
  const { jobId } = options;
  try {
    return await follow(options, deps, p);
  } catch (err) {
    if (err instanceof ConnectionLostError) {
      p.step(`${err.message}; the job goes on without the CLI — follow it later with: operator -- wait ${jobId}`);
      return EXIT.pending;
    }
    if (err instanceof PlatformError && err.status === 404) throw new UsageError(`no job ${jobId} among your jobs (operator -- jobs lists them)`);
    throw err;
  } finally {
    p.stop();
  }
}

async function follow({ jobId, wait, timeoutMs, chart, announcedQueued }: FollowOptions, deps: FollowDeps, p: Progress): Promise<number> {
  const path = `/operator/jobs/${jobId}`;
  const deadline = performance.now() + timeoutMs;
  let job = await readWithRetry<JobView>(deps, p, path);
  let last = announcedQueued ? 'queued' : '';
  let waitingShown = false;
  for (;;) {
    if (job.status !== last && (last === '' || !FINAL.has(job.status))) p.step(last === '' ? `job ${jobId}: ${job.status}` : job.status);
    if (job.waiting && !waitingShown) p.step(`queued since ${job.createdAt ?? '?'} and no worker is alive (since ${job.waiting.since}): the platform's staff must start one`);
    waitingShown = Boolean(job.waiting);
    if (FINAL.has(job.status)) {
      // it ran between two looks
      if (last === 'queued' && wait) p.step('running');
      break;
    }
    last = job.status;
    if (!wait) {
      p.step(`not finished; wait for it with: operator -- wait ${jobId}`);
      return EXIT.pending;
    }
    if (performance.now() > deadline) {
      p.step(`still ${job.status} after ${timeoutMs / 1000}s; wait for it with: operator -- wait ${jobId}`);
      return EXIT.pending;
    }
    await new Promise((r) => setTimeout(r, deps.pollMs ?? 300));
    job = await readWithRetry<JobView>(deps, p, path);
  }
  if (job.status === 'failed') {
    p.step(`failed: ${job.error?.code ?? 'FAILED'}: ${job.error?.reason ?? ''}`);
    return EXIT.notReleased;
  }
  if (job.status === 'rejected') {
    p.step(`checks: ${job.error?.reason ?? 'refused'}`);
    p.step('not released');
    return EXIT.notReleased;
  }
  if (job.status === 'review') {
    p.step(job.privacy?.dp === false ? "checks: a release without DP goes to two stewards' review" : "checks: the dataset's rules send every result to a steward");
    p.step(`in review — the result appears once the stewards approve it (operator -- result ${jobId})`);
    return EXIT.inReview;
  }
  const result = await readWithRetry<JobResult & { record?: { checks?: { check: string; outcome: string }[] } }>(deps, p, `${path}/result`);
  if (result.dryRun) p.step('checks: skipped (dry run: synthetic data, output unchecked)');
  else p.step(`checks: ${(result.record?.checks ?? []).filter((c) => c.outcome !== 'not_applicable').map((c) => `${c.check} ${c.outcome}`).join(', ') || 'none'}`);
  p.step(result.dryRun ? 'done (dry run, not a release)' : 'released');
  p.stop();
  deps.stdout.write(resultText(result));
  if (chart) {
    const svg = resultChart(result);
    if (svg) {
      await deps.writeFile(chart, svg);
      deps.stderr.write(`chart written to ${chart}\n`);
    } else deps.stderr.write('no distribution in the result to chart; no chart written\n');
  }
  return EXIT.released;
}
