// Re-attaching to jobs: `wait <job id>` follows one to its end and prints its result, `result <job id>` shows it as it
// is now, `jobs` lists the operator's recent jobs. Arguments are checked before anything is read or sent.
import { parseArgs } from 'node:util';
import { EXIT, followJob, JOB_ID, progress, readWithRetry, type FollowDeps, type JobView } from './follow-job.ts';
import { DEFAULT_RETRY_MS } from './retry.ts';
import { textTable } from './text-table.ts';
import { UsageError } from './usage-error.ts';

export const JOB_USAGE = `wait <job id> [--chart <file.svg>] [--timeout <seconds>] [--retry-for <seconds>]
                     follow one of your jobs (from any earlier submit) to its end and print its result as submit does
  result <job id> [--chart <file.svg>] [--retry-for <seconds>]
                     the job's result now (exit 4 and a hint to wait while it is still queued or running)
  jobs [--limit <n>]  your recent jobs, newest first (default 20)
                     submit, wait and result ride out dropped connections: they retry for --retry-for seconds
                     (default 300, or $OPERATOR_RETRY_SECONDS; 0: no retrying) and never submit a job twice.`;

export interface JobCommandArgs {
  command: 'wait' | 'result' | 'jobs';
  jobId: string | undefined;
  chart: string | undefined;
  timeoutMs: number;
  retryMs: number;
  limit: number;
  credentials: string | undefined;
}

/** The retry window in ms from `--retry-for` or $OPERATOR_RETRY_SECONDS (seconds; 0 turns retrying off). */
export function retryWindowMs(given: string | undefined, env: string | undefined = process.env.OPERATOR_RETRY_SECONDS): number {
  const text = given ?? env;
  if (text === undefined) return DEFAULT_RETRY_MS;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--retry-for must be a number of seconds (0 or more), not "${text}"`);
  return seconds * 1000;
}

/** Throws UsageError naming the bad argument. `argv` starts with the command word. */
export function parseJobCommandArgs(argv: string[]): JobCommandArgs {
  const command = argv[0] as JobCommandArgs['command'];
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        chart: { type: 'string' },
        timeout: { type: 'string' },
        'retry-for': { type: 'string' },
        limit: { type: 'string' },
        credentials: { type: 'string', short: 'c' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  let jobId: string | undefined;
  if (command === 'jobs') {
    if (positionals.length) throw new UsageError(`jobs takes no job id (got "${positionals[0]}")`);
    if (values.chart !== undefined || values.timeout !== undefined) throw new UsageError('jobs takes only --limit');
  } else {
    if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one job id, e.g. operator -- ${command} 3f2b8c1e-…`);
    jobId = positionals[0]!.toLowerCase();
    if (!JOB_ID.test(jobId)) throw new UsageError(`"${positionals[0]}" is not a job id (36 characters, as submit printed it; operator -- jobs lists yours)`);
    if (values.limit !== undefined) throw new UsageError(`${command} takes no --limit`);
    if (command === 'result' && values.timeout !== undefined) throw new UsageError('result does not wait: use wait --timeout');
  }
  if (values.chart !== undefined && !/\.svg$/i.test(values.chart)) throw new UsageError('--chart must name an .svg file');
  const timeout = values.timeout === undefined ? 3600 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500');
  return { command, jobId, chart: values.chart, timeoutMs: timeout * 1000, retryMs: retryWindowMs(values['retry-for']), limit, credentials: values.credentials };
}

/** Resolves to the exit code (EXIT); throws UsageError for a job that is not the caller's, PlatformError as is. */
export async function runJobCommand(args: JobCommandArgs, deps: FollowDeps): Promise<number> {
  const withRetry = { ...deps, retry: { maxMs: args.retryMs, ...deps.retry } };
  if (args.command === 'jobs') {
    const p = progress(deps.stderr);
    try {
      const { items } = await readWithRetry<{ items: JobView[] }>(withRetry, p, `/operator/jobs?limit=${args.limit}`);
      deps.stdout.write(`${jobsTable(items)}\n`);
      return EXIT.released;
    } finally {
      p.stop();
    }
  }
  return followJob({ jobId: args.jobId!, wait: args.command === 'wait', timeoutMs: args.timeoutMs, chart: args.chart }, withRetry);
}

/** The jobs as an aligned table: id, status (and why a failed one failed), created, datasets, privacy. */
export function jobsTable(items: readonly JobView[]): string {
  if (items.length === 0) return 'no jobs yet';
  const rows = items.map((j) => [
    j.id,
    j.status + (j.error ? ` (${j.error.code})` : '') + (j.waiting ? ' (no live worker)' : ''),
    (j.createdAt ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    (j.datasets ?? []).map((d) => `${d.code}:${d.fields.join(',')}`).join(' '),
    j.dryRun ? 'dry run' : j.privacy?.dp === false ? 'no DP (review)' : j.privacy?.epsilon != null ? `ε ${j.privacy.epsilon}` : 'DP',
  ]);
  return textTable([['job', 'status', 'created', 'datasets', 'privacy'], ...rows]);
}
