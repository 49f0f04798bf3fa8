// `operator submit <model.js> ...`: submits a job, follows it live on stderr (queued → running → checks → released or
// failed), prints the result as a table on stdout and, for a distribution, writes a chart (SVG).
import { parseArgs } from 'node:util';
import { EXIT, followJob, progress, readWithRetry, type FollowDeps, type JobView, type Progress } from './follow-job.ts';
import { PlatformError } from './operator-client.ts';
import { connectionRefused, ConnectionLostError, retrying, transientReason } from './retry.ts';
import { retryWindowMs } from './job-commands.ts';
import { UsageError } from './usage-error.ts';

export const SUBMIT_USAGE = `submit <model.js> --dataset <code>:<field>,<field>... [--dataset ...] [--license <id>]
        [--params '<json object>'] [--output <kind>[:<measure>]:<key>,<key>]... [--outputs '<json array>']
        [--bounds <measure>=<lo>..<hi>]... [--domain <key>=<label>,<label>...]... [--max-rows <n>]
        [--epsilon <ε> | --no-dp --justification '<why>'] [--dry-run] [--chart <file.svg>] [--timeout <seconds>]
        [--retry-for <seconds>]
                     run a model; --output kinds: count, sum, mean, variance, min, max, p<NN> (quantile),
                     e.g. --output count:district --output mean:income:district --output p50:income:district.
                     Releases are differentially private: measures need --bounds (values are clamped into them);
                     keys with a --domain show every label (else only labels shared by enough people show);
                     each value comes with its 95 % interval. --no-dp sends the result to two stewards' review.
                     --license may be left out when one licence grants the dataset. Exit 0 released, 1 failed or
                     refused, 3 in human review, 4 still running or its outcome unknown (the job goes on: wait).`;

export { UsageError };

export interface SubmitArgs {
  file: string;
  licenseId: string | undefined;
  datasets: { code: string; fields: string[] }[];
  params: Record<string, unknown>;
  outputs: Record<string, unknown>[];
  epsilon: number | undefined;
  /** a release without DP, and the operator's reason */
  noDp: string | undefined;
  maxRows: number | undefined;
  dryRun: boolean;
  chart: string | undefined;
  timeoutMs: number;
  /** how long dropped connections are retried */
  retryMs: number;
  credentials: string | undefined;
}

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const KINDS = new Set(['count', 'sum', 'mean', 'variance', 'min', 'max']);

/** `count:district,age_band`, `mean:income:district`, `p50:income:district,age_band` → an output spec. */
export function parseOutput(text: string): Record<string, unknown> {
  const parts = text.split(':');
  const kind = parts[0] ?? '';
  const quantile = /^p(\d{1,2}(?:\.\d+)?)$/.exec(kind);
  if (!KINDS.has(kind) && !quantile) throw new UsageError(`--output ${text}: kind must be count, sum, mean, variance, min, max or p<NN>`);
  const needsMeasure = kind !== 'count';
  if (parts.length !== (needsMeasure ? 3 : 2)) throw new UsageError(`--output ${text}: expected ${needsMeasure ? `${kind}:<measure>:<keys>` : 'count:<keys>'}`);
  const measure = needsMeasure ? parts[1]! : undefined;
  if (measure !== undefined && !COLUMN.test(measure)) throw new UsageError(`--output ${text}: the measure must be an emitted column name`);
  const by = parts[parts.length - 1]!.split(',').filter(Boolean);
  if (by.some((b) => !COLUMN.test(b))) throw new UsageError(`--output ${text}: keys must be emitted column names`);
  const name = [quantile ? `p${quantile[1]!.replace('.', '_')}` : kind, measure].filter(Boolean).join('_');
  return { name, kind: quantile ? 'quantile' : kind, by, ...(measure ? { measure } : {}), ...(quantile ? { prob: Number(quantile[1]) / 100 } : {}) };
}

/**
 * `--bounds income=0..1000000` on every output of that measure, `--domain age_band=18-29,30-44` on every output by
 * that key. Throws UsageError for a malformed one or one no output uses.
 */
function applyBoundsAndDomains(outputs: Record<string, unknown>[], bounds: readonly string[], domains: readonly string[]): void {
  for (const b of bounds) {
    const m = /^([A-Za-z_][A-Za-z0-9_]{0,63})=(-?[\d.eE+]+)\.\.(-?[\d.eE+]+)$/.exec(b);
    const lo = Number(m?.[2]);
    const hi = Number(m?.[3]);
    if (!m || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new UsageError(`--bounds ${b}: expected <measure>=<lo>..<hi> with lo <= hi`);
    const using = outputs.filter((o) => o.measure === m[1]);
    // a model's feature (or its label, named `label`) takes the same form
    const models = outputs.filter((o) => (o.kind === 'linear' || o.kind === 'logistic') && (m[1] === 'label' || (Array.isArray(o.features) && (o.features as unknown[]).includes(m[1]))));
    if (using.length === 0 && models.length === 0) throw new UsageError(`--bounds ${b}: no --output uses the measure ${m[1]} (models: name their features)`);
    for (const o of using) o.bounds = { lo, hi };
    for (const o of models) {
      const current = (o.bounds as { features?: Record<string, unknown>; label?: unknown } | undefined) ?? {};
      o.bounds = m[1] === 'label' ? { features: current.features ?? {}, ...current, label: { lo, hi } } : { ...current, features: { ...(current.features ?? {}), [m[1]!]: { lo, hi } } };
    }
  }
  for (const d of domains) {
    const m = /^([A-Za-z_][A-Za-z0-9_]{0,63})=(.+)$/.exec(d);
    if (!m) throw new UsageError(`--domain ${d}: expected <key>=<label>,<label>...`);
    const labels = m[2]!.split(',').map((l) => l.trim()).filter(Boolean);
    const using = outputs.filter((o) => Array.isArray(o.by) && (o.by as unknown[]).includes(m[1]));
    if (using.length === 0) throw new UsageError(`--domain ${d}: no --output is by the key ${m[1]}`);
    for (const o of using) o.domain = { ...((o.domain as object | undefined) ?? {}), [m[1]!]: labels };
  }
}

function parseJson(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${option} must be JSON`);
  }
}

/** Throws UsageError naming the bad argument. `argv` starts after the word `submit`. */
export function parseSubmitArgs(argv: string[]): SubmitArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        license: { type: 'string' },
        dataset: { type: 'string', multiple: true },
        params: { type: 'string' },
        output: { type: 'string', multiple: true },
        outputs: { type: 'string' },
        epsilon: { type: 'string' },
        bounds: { type: 'string', multiple: true },
        domain: { type: 'string', multiple: true },
        'max-rows': { type: 'string' },
        'no-dp': { type: 'boolean' },
        justification: { type: 'string' },
        'dry-run': { type: 'boolean' },
        chart: { type: 'string' },
        timeout: { type: 'string' },
        'retry-for': { type: 'string' },
        credentials: { type: 'string', short: 'c' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !/\.(m?js)$/.test(positionals[0]!)) throw new UsageError('submit needs exactly one model file (.js), e.g. examples/income-by-district.js');
  if (!values.dataset?.length) throw new UsageError('submit needs --dataset <code>:<field>,<field>...');
  const datasets = values.dataset.map((d) => {
    const [code, list, ...extra] = d.split(':');
    const fields = (list ?? '').split(',').filter(Boolean);
    if (extra.length || !code || !IDENTIFIER.test(code) || fields.length === 0 || fields.some((f) => !IDENTIFIER.test(f))) {
      throw new UsageError(`--dataset ${d}: expected <code>:<field>,<field>... (lower-case names)`);
    }
    return { code, fields };
  });
  const params = values.params === undefined ? {} : parseJson('--params', values.params);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new UsageError('--params must be a JSON object');
  const outputs = (values.output ?? []).map(parseOutput);
  if (values.outputs !== undefined) {
    const list = parseJson('--outputs', values.outputs);
    if (!Array.isArray(list) || list.some((o) => typeof o !== 'object' || o === null)) throw new UsageError('--outputs must be a JSON array of output specs');
    outputs.push(...(list as Record<string, unknown>[]));
  }
  applyBoundsAndDomains(outputs, values.bounds ?? [], values.domain ?? []);
  let epsilon: number | undefined;
  if (values.epsilon !== undefined) {
    epsilon = Number(values.epsilon);
    if (!Number.isFinite(epsilon) || epsilon <= 0) throw new UsageError('--epsilon must be a positive number');
  }
  if (values['no-dp'] && epsilon !== undefined) throw new UsageError('--no-dp and --epsilon exclude each other');
  if (values['no-dp'] && (values.justification ?? '').trim().length < 10) throw new UsageError('--no-dp needs --justification with the reason (10 characters at least): two stewards read it');
  let maxRows: number | undefined;
  if (values['max-rows'] !== undefined) {
    maxRows = Number(values['max-rows']);
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError('--max-rows must be a positive integer');
  }
  const timeout = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  if (values.chart !== undefined && !/\.svg$/i.test(values.chart)) throw new UsageError('--chart must name an .svg file');
  return {
    file: positionals[0]!,
    licenseId: values.license,
    datasets,
    params: params as Record<string, unknown>,
    outputs,
    epsilon,
    noDp: values['no-dp'] ? values.justification!.trim() : undefined,
    maxRows,
    dryRun: values['dry-run'] ?? false,
    chart: values.chart,
    timeoutMs: timeout * 1000,
    retryMs: retryWindowMs(values['retry-for']),
    credentials: values.credentials,
  };
}

export interface SubmitDeps extends FollowDeps {
  client: FollowDeps['client'] & { accessToken?(): Promise<string>; readonly serverClockOffsetMs?: number | undefined };
  readFile(path: string): Promise<string>;
}

/** Runs the command; resolves to the exit code. Throws UsageError for a bad file or licence choice, PlatformError as is. */
export async function runSubmit(args: SubmitArgs, deps: SubmitDeps): Promise<number> {
  let code: string;
  try {
    code = await deps.readFile(args.file);
  } catch {
    throw new UsageError(`cannot read the model file ${args.file}`);
  }
  deps = { ...deps, retry: { maxMs: args.retryMs, ...deps.retry } };
  const p = progress(deps.stderr);
  try {
    const licenseId = args.licenseId ?? (await onlyLicence(deps, p, args.datasets.map((d) => d.code)));
    const body = {
      licenseId,
      datasets: args.datasets,
      code,
      params: args.params,
      ...(args.outputs.length ? { outputs: args.outputs } : {}),
      ...(args.epsilon !== undefined ? { privacy: { epsilon: args.epsilon } } : {}),
      ...(args.noDp !== undefined ? { privacy: { none: true, justification: args.noDp } } : {}),
      ...(args.maxRows !== undefined ? { contribution: { maxRows: args.maxRows } } : {}),
      dryRun: args.dryRun,
    };
    const id = await submitOnce(deps, p, body);
    if (id === null) return EXIT.pending;
    p.step(`queued${args.dryRun ? ' (dry run on synthetic data)' : ''} — job ${id}`);
    return await followJob({ jobId: id, wait: true, timeoutMs: args.timeoutMs, chart: args.chart, announcedQueued: true }, deps, p);
  } catch (err) {
    if (err instanceof ConnectionLostError) {
      p.step(`${err.message}; nothing was submitted`);
      return EXIT.pending;
    }
    throw err;
  } finally {
    p.stop();
  }
}

/**
 * POSTs the job once. A refused connection sent nothing and is tried again (as is the token request before it); any
 * other broken connection may have lost the answer to a job the platform queued, so it is not sent again: the job is
 * looked for among the operator's recent jobs instead. Resolves to the job id, or null when the answer was lost.
 */
async function submitOnce(deps: SubmitDeps, p: Progress, body: { licenseId: string; datasets: { code: string; fields: string[] }[]; dryRun: boolean }): Promise<string | null> {
  const onRetry = ({ reason, delayMs }: { reason: string; delayMs: number }) => p.step(`cannot connect (${reason}), nothing submitted yet; retrying in ${Math.max(1, Math.round(delayMs / 1000))} s …`);
  if (deps.client.accessToken) await retrying(() => deps.client.accessToken!(), { ...deps.retry, onRetry });
  const sentAt = Date.now();
  try {
    const { id } = await retrying(() => deps.client.request<{ id: string }>('POST', '/operator/jobs', body), { ...deps.retry, onRetry, classify: (err) => (connectionRefused(err) ? 'ECONNREFUSED' : null) });
    return id;
  } catch (err) {
    // 429 is the platform's answer (a quota), not a lost one
    const reason = err instanceof PlatformError && err.status === 429 ? null : transientReason(err);
    if (reason === null) throw err;
    p.step(`the answer to the submission was lost (${reason}); it is not sent again — looking for it among your jobs …`);
    const found = await recentMatches(deps, p, body, sentAt).catch(() => null);
    if (found === null) p.step('cannot list your jobs either: check with operator -- jobs before submitting again');
    else if (found.length === 0) p.step('no job of yours matches it: it was probably not queued (check with operator -- jobs before submitting again)');
    else for (const j of found) p.step(`the platform queued it as job ${j.id} (created ${j.createdAt}); follow it with: operator -- wait ${j.id}`);
    return null;
  }
}

/**
 * The operator's jobs with the same licence, datasets and mode created while the submission was under way, on the
 * platform's clock (known to ±0.5 s from Date headers; ± 2 minutes when the platform never sent one).
 */
async function recentMatches(deps: SubmitDeps, p: Progress, body: { licenseId: string; datasets: { code: string; fields: string[] }[]; dryRun: boolean }, sentAt: number): Promise<JobView[]> {
  const offset = deps.client.serverClockOffsetMs;
  const slack = offset === undefined ? 120_000 : 1_500;
  const from = sentAt + (offset ?? 0) - slack;
  const to = Date.now() + (offset ?? 0) + slack;
  const { items } = await readWithRetry<{ items: JobView[] }>(deps, p, '/operator/jobs?limit=20');
  const same = (a: { code: string; fields: string[] }[] = []) => JSON.stringify(a) === JSON.stringify(body.datasets);
  return items.filter((j) => {
    const at = Date.parse(j.createdAt ?? '');
    return j.licenseId === body.licenseId && j.dryRun === body.dryRun && same(j.datasets) && at >= from && at <= to;
  });
}

async function onlyLicence(deps: SubmitDeps, p: Progress, codes: string[]): Promise<string> {
  const { items } = await readWithRetry<{ items: { licenseId: string; code: string }[] }>(deps, p, '/operator/datasets');
  const ids = [...new Set(items.filter((d) => codes.includes(d.code)).map((d) => d.licenseId))];
  if (ids.length === 1) return ids[0]!;
  throw new UsageError(ids.length === 0 ? `none of your live licences grants ${codes.join(', ')}` : `several licences grant ${codes.join(', ')}; pick one with --license (${ids.join(', ')})`);
}

/** A platform refusal in one line: status, code, message, and which input was wrong (names only, as sent back). */
export function problemLine(err: PlatformError): string {
  const body = (err.body ?? {}) as {
    issues?: { path?: string; message?: string }[];
    problems?: { output: string; problem: string }[];
    dataset?: string;
    scope?: string;
    epsilonSpent?: number;
    epsilonTotal?: number;
    missingFields?: string[];
    missingOperations?: string[];
    datasetNotGranted?: boolean;
    retryAfterSeconds?: number;
  };
  const extra = [
    ...(body.issues ?? []).slice(0, 3).map((i) => `${i.path || '(body)'}: ${i.message ?? ''}`),
    ...(body.problems ?? []).slice(0, 5).map((p) => `${p.output}: ${p.problem}`),
    ...(body.dataset ? [`dataset ${body.dataset}`] : []),
    ...(body.datasetNotGranted ? ['the licence does not grant the dataset'] : []),
    ...(body.missingFields?.length ? [`the licence lacks the fields ${body.missingFields.join(', ')}`] : []),
    ...(body.missingOperations?.length ? [`the licence lacks the operations ${body.missingOperations.join(', ')}`] : []),
    ...(body.scope && body.epsilonTotal !== undefined ? [`${body.scope} budget: ε ${body.epsilonSpent} of ${body.epsilonTotal} spent`] : []),
    ...(body.retryAfterSeconds !== undefined ? [`retry after ${body.retryAfterSeconds}s`] : []),
  ];
  return `${err.status} ${err.code}: ${err.message}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

export { PlatformError };
