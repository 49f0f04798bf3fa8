// `operator submit <model.js> ...`: submits a job, follows it live on stderr (queued → running → checks → released or
// failed), prints the result as a table on stdout and, for a distribution, writes a chart (SVG).
import { parseArgs } from 'node:util';
import { PlatformError } from './operator-client.ts';
import { resultChart, resultText, type JobResult } from './result-view.ts';

export const SUBMIT_USAGE = `submit <model.js> --dataset <code>:<field>,<field>... [--dataset ...] [--license <id>]
        [--params '<json object>'] [--output <kind>[:<measure>]:<key>,<key>]... [--outputs '<json array>']
        [--bounds <measure>=<lo>..<hi>]... [--domain <key>=<label>,<label>...]... [--max-rows <n>]
        [--epsilon <ε> | --no-dp --justification '<why>'] [--dry-run] [--chart <file.svg>] [--timeout <seconds>]
                     run a model; --output kinds: count, sum, mean, variance, min, max, p<NN> (quantile),
                     e.g. --output count:district --output mean:income:district --output p50:income:district.
                     Releases are differentially private: measures need --bounds (values are clamped into them);
                     keys with a --domain show every label (else only labels shared by enough people show);
                     each value comes with its 95 % interval. --no-dp sends the result to two stewards' review.
                     --license may be left out when one licence grants the dataset. Exit 0 released, 1 failed or
                     refused, 3 in human review.`;

/** A bad command line: the CLI prints one `error:` line and exits 2. */
export class UsageError extends Error {}

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
    credentials: values.credentials,
  };
}

export interface SubmitDeps {
  client: { request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> };
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** between status polls; default 300 ms */
  pollMs?: number;
}

interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'review';
  error?: { code: string; reason: string };
}

const FINAL = new Set(['succeeded', 'failed', 'rejected', 'review']);
const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** Live progress: a spinner line on a terminal, one plain line per step otherwise. */
function progress(stderr: SubmitDeps['stderr']) {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  let current = '';
  let frame = 0;
  const tty = stderr.isTTY === true;
  const timer = tty ? setInterval(() => stderr.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${current} ${elapsed()}`), 100) : undefined;
  return {
    step(text: string) {
      current = text;
      stderr.write(`${tty ? '\r\x1b[K' : ''}[${elapsed().padStart(6)}] ${text}\n`);
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty) stderr.write('\r\x1b[K');
    },
  };
}

/** Runs the command; resolves to the exit code. Throws UsageError for a bad file or licence choice, PlatformError as is. */
export async function runSubmit(args: SubmitArgs, deps: SubmitDeps): Promise<number> {
  let code: string;
  try {
    code = await deps.readFile(args.file);
  } catch {
    throw new UsageError(`cannot read the model file ${args.file}`);
  }
  const licenseId = args.licenseId ?? (await onlyLicence(deps, args.datasets.map((d) => d.code)));
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
  const { id } = await deps.client.request<{ id: string }>('POST', '/operator/jobs', body);
  const p = progress(deps.stderr);
  let job: JobView;
  try {
    p.step(`queued${args.dryRun ? ' (dry run on synthetic data)' : ''} — job ${id}`);
    let last = 'queued';
    const deadline = performance.now() + args.timeoutMs;
    for (;;) {
      job = await deps.client.request<JobView>('GET', `/operator/jobs/${id}`);
      if (job.status !== last && !FINAL.has(job.status)) p.step(job.status);
      last = job.status;
      if (FINAL.has(job.status)) break;
      if (performance.now() > deadline) {
        p.step(`still ${job.status} after ${args.timeoutMs / 1000}s; follow it with: operator get /operator/jobs/${id}`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, deps.pollMs ?? 300));
    }
    if (last === 'queued') p.step('running');
    if (job.status === 'failed') {
      p.step(`failed: ${job.error?.code ?? 'FAILED'}: ${job.error?.reason ?? ''}`);
      return 1;
    }
    if (job.status === 'rejected') {
      p.step(`checks: ${job.error?.reason ?? 'refused'}`);
      p.step('not released');
      return 1;
    }
    if (job.status === 'review') {
      p.step(args.noDp !== undefined ? 'checks: a release without DP goes to two stewards\' review' : 'checks: the dataset\'s rules send every result to a steward');
      p.step('in review — the result appears once the stewards approve it (operator -- result <job id>)');
      return 3;
    }
    const result = await deps.client.request<JobResult & { record?: { checks?: { check: string; outcome: string }[] } }>('GET', `/operator/jobs/${id}/result`);
    if (result.dryRun) p.step('checks: skipped (dry run: synthetic data, output unchecked)');
    else p.step(`checks: ${(result.record?.checks ?? []).filter((c) => c.outcome !== 'not_applicable').map((c) => `${c.check} ${c.outcome}`).join(', ') || 'none'}`);
    p.step(result.dryRun ? 'done (dry run, not a release)' : 'released');
    p.stop();
    deps.stdout.write(resultText(result));
    if (args.chart) {
      const svg = resultChart(result);
      if (svg) {
        await deps.writeFile(args.chart, svg);
        deps.stderr.write(`chart written to ${args.chart}\n`);
      } else deps.stderr.write('no distribution in the result to chart; no chart written\n');
    }
    return 0;
  } finally {
    p.stop();
  }
}

async function onlyLicence(deps: SubmitDeps, codes: string[]): Promise<string> {
  const { items } = await deps.client.request<{ items: { licenseId: string; code: string }[] }>('GET', '/operator/datasets');
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
