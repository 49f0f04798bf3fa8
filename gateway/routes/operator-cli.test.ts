// The operator CLI's `submit` end to end against the real app and an in-process worker: live progress, the result
// table, the SVG chart; and its refusal of bad arguments (one `error:` line, exit 2) as a real process.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../../sandbox/jobs/testing.ts';
import { seededShuffleRandom } from '../../sandbox/confinement/index.ts';
import { SeededRandom } from '../../sandbox/dp/testing.ts';
import { OperatorClient } from '../../sdk/index.ts';
import { parseSubmitArgs, runSubmit, UsageError } from '../../sdk/submit-command.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, OPERATOR_IP, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let pool: IsolatePool;
let worker: JobWorker;
let client: OperatorClient;

beforeAll(async () => {
  gw = await createTestGateway();
  const security = await gw.login('security', PASSWORDS.security);
  op = await createTestOperator(gw, security);
  // a second licence for the other two examples' datasets (legal persons registered only, for dry runs; social
  // insurance loaded too, for a real run of the arrears model, which the licence grants as operation `model`)
  for (const code of ['legal_persons', 'social_insurance'] as const) await registerDataset(gw.services.database.db, DATASETS[code].definition);
  const granted = await gw.app.request(`/security/operators/${op.id}/licenses`, {
    method: 'POST',
    headers: { ...security, 'content-type': 'application/json' },
    body: JSON.stringify({
      scenario: '企业存续与社保欠费风险',
      datasets: [
        { code: 'legal_persons', fields: ['industry_code', 'established_date', 'status'], operations: ['aggregate'] },
        { code: 'social_insurance', fields: ['contribution_base', 'employer_amount', 'personal_amount', 'arrears_amount', 'insurance_type', 'period'], operations: ['aggregate', 'model'] },
      ],
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86400_000).toISOString(),
      ipAllowlist: ['203.0.113.0/24'],
      privacyBudget: { epsilon: 1 },
      maxJobsPerDay: 5,
    }),
  });
  if (granted.status !== 201) throw new Error(`licence grant failed: ${granted.status}`);
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 600, 'cli'), loadedBy: 'test' });
  await loadDataset(gw.services.database, { code: 'social_insurance', format: 'csv', body: generatedCsv('social_insurance', SOCIAL_INSURANCE_ROWS, 'cli'), loadedBy: 'test' });
  pool = createIsolatePool({ size: 1 });
  // seeded noise and partitions: what this file prints is the same on every run (noise is tested elsewhere)
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, pollMs: 50, slot: TEST_SLOT, rng: new SeededRandom(5), confinement: { random: seededShuffleRandom(5) } });
  worker.start();
  client = new OperatorClient({
    baseUrl: gw.config.publicUrl,
    operatorId: op.id,
    privateJwk: { ...(await exportJWK(op.privateKey)), kid: op.kid },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      return gw.app.request(url.pathname + url.search, init, { incoming: { socket: { remoteAddress: OPERATOR_IP } } });
    }) as typeof fetch,
  });
});
afterAll(async () => {
  await worker?.stop();
  await pool?.close();
  await gw?.close();
});

const SOCIAL_INSURANCE_ROWS = 20_000;
const ARREARS_FIELDS = 'social_insurance:contribution_base,employer_amount,personal_amount,arrears_amount,insurance_type,period';
const BY_SEX = `export function map(c) { return { keys: { sex: c.sex }, measures: { income: c.annual_income } }; }`;

async function submit(argv: string[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const code = await runSubmit(parseSubmitArgs(argv), {
    client,
    readFile: async (path) => files[path] ?? readFile(path, 'utf8'),
    writeFile: async (path, content) => void (written[path] = content),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    pollMs: 50,
  });
  // OPERATOR_CLI_DUMP=<dir>: keep what the command printed and wrote, to look at by eye
  if (process.env.OPERATOR_CLI_DUMP) {
    const { writeFile } = await import('node:fs/promises');
    const base = `${process.env.OPERATOR_CLI_DUMP}/${argv[0]!.replace(/\W+/g, '_')}`;
    await writeFile(`${base}.out.txt`, `${err.join('')}\n---\n${out.join('')}`);
    for (const [name, content] of Object.entries(written)) await writeFile(`${base}.${name}`, content);
  }
  return { code, stdout: out.join(''), stderr: err.join(''), written };
}

describe('operator submit', () => {
  it('runs a real job: progress lines, the released table, a bar chart with labels', async () => {
    const r = await submit(
      ['model.js', '--dataset', 'population:sex,annual_income', '--output', 'count:sex', '--output', 'mean:income:sex', '--bounds', 'income=0..500000', '--domain', 'sex=男,女', '--chart', 'out.svg'],
      { 'model.js': BY_SEX },
    );
    expect(r.code).toBe(0);
    const steps = r.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^\[\s*[\d.]+s\] /, ''));
    expect(steps[0]).toMatch(/^queued — job /);
    expect(steps).toContain('running');
    expect(steps.find((s) => s.startsWith('checks: '))).toMatch(/row_locality pass.*dp_noise applied/);
    expect(steps).toContain('released');
    expect(r.stderr).toMatch(/^\[\s*\d+\.\ds\] queued/);
    expect(r.stdout).toMatch(/^Differentially private release \(ε = 1\)/);
    expect(r.stdout).toMatch(/count: count by sex/);
    expect(r.stdout).toMatch(/mean_income: mean of income by sex/);
    // each value with its 95 % interval
    expect(r.stdout).toMatch(/^男\s+[\d,]+\s+[\d,]+ … [\d,]+$/m);
    expect(r.stdout).toMatch(/^女\s+[\d,]+\s+[\d,]+ … [\d,]+$/m);
    const svg = r.written['out.svg']!;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(svg.match(/class="error-bar"/g)).toHaveLength(2);
    expect(svg).toContain('>count by sex</text>');
    expect(svg).toContain('>男</text>');
    expect(svg).toContain('>女</text>');
    expect(svg).toContain('font-weight="600">count</text>'); // the value axis is labelled
  });

  it('runs an example as a dry run: unchecked result marked on stdout, a chart of every age band', async () => {
    const r = await submit([
      'examples/income-by-district.js',
      '--license', op.licenseId,
      '--dataset', 'population:region_code,birth_date,annual_income',
      '--params', '{"bands":[18,40,60]}',
      '--output', 'mean:income:age_band',
      '--output', 'p50:income:age_band',
      '--bounds', 'income=0..500000',
      '--dry-run',
      '--chart', 'income.svg',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/queued \(dry run on synthetic data\)/);
    expect(r.stderr).toMatch(/checks: skipped \(dry run/);
    expect(r.stdout).toMatch(/^DRY RUN on synthetic data/);
    expect(r.stdout).toMatch(/p50_income: p50 of income by age_band/);
    const svg = r.written['income.svg']!;
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    for (const band of ['18-39', '40-59', '60+']) expect(svg).toContain(`>${band}</text>`);
    expect(svg).toContain('unchecked');
  });

  it('draws lines for a numeric key (years), one series per category', async () => {
    const model = `export function map(c, p, info) {
      const year = new Int32Array(info.rowCount);
      for (let i = 0; i < info.rowCount; i++) { const d = c.birth_date.codes[i]; year[i] = d < 0 ? 0 : Number(c.birth_date.dictionary[d].slice(0, 3)) * 10; }
      return { keys: { sex: c.sex, decade: year }, measures: { income: c.annual_income } };
    }`;
    const r = await submit(['m.js', '--dataset', 'population:sex,birth_date,annual_income', '--output', 'mean:income:sex,decade', '--bounds', 'income=0..500000', '--dry-run', '--chart', 'l.svg'], { 'm.js': model });
    expect(r.code).toBe(0);
    const svg = r.written['l.svg']!;
    expect(svg.match(/<polyline class="line"/g)).toHaveLength(2);
    expect(svg).toContain('>decade</text>');
  });

  it('dry-runs the enterprise survival example: a survival rate per (industry, year), drawn as lines per industry', async () => {
    const r = await submit(['examples/enterprise-survival.js', '--dataset', 'legal_persons:industry_code,established_date,status', '--params', '{"fromYear":2010}', '--output', 'mean:survived:industry,year', '--bounds', 'survived=0..1', '--dry-run', '--chart', 's.svg']);
    expect(r.code).toBe(0);
    const rates = [...r.stdout.matchAll(/^[A-T]\s+20\d\d\s+([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(rates.length).toBeGreaterThan(10);
    for (const x of rates) expect(x).toBeGreaterThanOrEqual(0), expect(x).toBeLessThanOrEqual(1);
    expect(r.written['s.svg']).toMatch(/<polyline class="line"/);
  });

  it('dry-runs the arrears-risk example: the platform fits the logistic regression (unchecked)', async () => {
    const r = await submit(['examples/arrears-risk.js', '--dataset', 'social_insurance:contribution_base,employer_amount,personal_amount,arrears_amount,insurance_type,period', '--dry-run', '--chart', 'a.svg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model: logistic regression, n = \d+/);
    for (const term of ['log_base', 'personal_share', 'year_end', 'is_pension']) expect(r.stdout).toMatch(new RegExp(`^${term}\\s+-?[\\d.]+`, 'm'));
    expect(r.stderr).toMatch(/no distribution in the result to chart/);
  });

  it('dry-runs a declared model as the real run would fit it: only the named features', async () => {
    const r = await submit(['examples/arrears-risk.js', '--dataset', ARREARS_FIELDS, '--outputs', '[{"name":"risk","kind":"logistic","features":["log_base","year_end"]}]', '--bounds', 'log_base=6..12', '--bounds', 'year_end=0..1', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DRY RUN/);
    expect(r.stdout).toMatch(/risk: logistic regression, n = \d+/);
    const terms = r.stdout.split('\n').slice(r.stdout.split('\n').findIndex((l) => l.startsWith('term')) + 1).filter(Boolean).map((l) => l.split(/\s+/)[0]);
    expect(terms).toEqual(['(intercept)', 'log_base', 'year_end']);
  });

  it('runs a declared linear model for real: coefficients with standard errors and 95 % intervals that include the noise', async () => {
    // the contribution base (thousands) against the pension indicator, one row per person and month, 5 at most
    const model = `export function map(c, p, info) {
      const pension = new Float64Array(info.rowCount), base = new Float64Array(info.rowCount);
      for (let i = 0; i < info.rowCount; i++) {
        const t = c.insurance_type.codes[i];
        pension[i] = t < 0 ? NaN : c.insurance_type.dictionary[t] === '养老' ? 1 : 0;
        base[i] = c.contribution_base[i] / 1000;
      }
      return { features: { pension }, label: base };
    }`;
    const r = await submit(['m.js', '--dataset', 'social_insurance:contribution_base,insurance_type', '--max-rows', '5', '--outputs', '[{"name":"income","kind":"linear","features":["pension"]}]', '--bounds', 'pension=0..1', '--bounds', 'label=0..40', '--epsilon', '0.5'], { 'm.js': model });
    expect(r.code).toBe(0);
    // the fit as released: R² and the residual σ (from noisy sums; flagged when the noise swamped the residuals)
    expect(r.stdout).toMatch(/^income: linear regression, n = \d+, R² = (0|1|0\.\d+|not given), residual σ = ([\d.,]+|not given)(, \(the noise swamped the residuals: no R² or σ from this release\))?$/m);
    const header = r.stdout.split('\n').find((l) => l.startsWith('term'))!;
    expect(header).toMatch(/coefficient\s+std\. error\s+95 % interval/);
    for (const term of ['(intercept)', 'pension']) expect(r.stdout).toMatch(new RegExp(`^${term.replace(/[()]/g, '\\$&')}\\s+-?[\\d.,]+\\s+[\\d.,]+\\s+-?[\\d.,]+ … -?[\\d.,]+$`, 'm'));
  });

  it('runs the arrears-risk example for real: on 217 people an outcome of 1 % is too rare under DP, and the model is withheld, saying why', async () => {
    const features = ['log_base', 'personal_share', 'year_end', 'is_pension', 'is_medical', 'is_unemployment'];
    const r = await submit([
      'examples/arrears-risk.js',
      '--dataset', ARREARS_FIELDS,
      '--max-rows', '5',
      // the licence's ε of 1 holds two jobs of ε 0.5 (zCDP: ρ adds up, and 2·ρ(0.5) < ρ(1))
      '--epsilon', '0.5',
      '--outputs', JSON.stringify([{ name: 'arrears', kind: 'logistic', features }]),
      '--bounds', 'log_base=6..12',
      ...features.slice(1).flatMap((f) => ['--bounds', `${f}=0..1`]),
    ]);
    expect(r.stderr).not.toMatch(/failed|review/);
    expect(r.code).toBe(0);
    const steps = r.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^\[\s*[\d.]+s\] /, ''));
    expect(steps.find((s) => s.startsWith('checks: '))).toMatch(/model_checks applied/);
    expect(steps).toContain('released');
    // 10 months in arrears among the 1,085 kept: the class count's 95 % lower bound is far below the threshold
    expect(r.stdout).toMatch(/^arrears: logistic withheld \(.*small_outcome_class.*\)$/m);
    const jobId = /job ([0-9a-f-]{36})/.exec(r.stderr)![1]!;
    const result = (await client.request('GET', `/operator/jobs/${jobId}/result`)) as { checked: boolean; result: { models: Record<string, unknown>[] }; record: { outcome: string } };
    expect(result.checked).toBe(true);
    expect(result.result.models[0]).toMatchObject({ name: 'arrears', model: 'logistic', withheld: true });
    expect(result.record.outcome).toBe('release');
  });

  it('reports a failed job with its code on stderr and exits 1', async () => {
    const r = await submit(['bad.js', '--dataset', 'population:sex'], { 'bad.js': 'export function map() { throw new TypeError("x"); }' });
    expect(r.code).toBe(1);
    // it fails on synthetic rows already: told in full, before any data was read
    expect(r.stderr).toMatch(/failed: RUNTIME_ERROR: TypeError thrown at line 1.*before any data was read/);
    expect(r.stdout).toBe('');
  });

  it('refuses bad arguments before sending anything', () => {
    const bad = [[], ['m.js'], ['m.txt', '--dataset', 'population:sex'], ['m.js', '--dataset', 'Population'], ['m.js', '--dataset', 'population:sex', '--params', '[1]'], ['m.js', '--dataset', 'population:sex', '--epsilon', '-1'], ['m.js', '--dataset', 'population:sex', '--output', 'median:x'], ['m.js', '--dataset', 'population:sex', '--chart', 'x.png'], ['m.js', '--dataset', 'population:sex', '--nope']];
    for (const argv of bad) expect(() => parseSubmitArgs(argv), argv.join(' ')).toThrow(UsageError);
  });

  it('as a process: a bad argument gives one error: line and exit code 2', async () => {
    const run = promisify(execFile);
    const err = (await run('node', ['--import', 'tsx', 'sdk/cli.ts', 'submit', 'examples/income-by-district.js', '--dataset', 'population'], { cwd: process.cwd() }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^error: --dataset population: expected <code>:<field>,<field>/);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
  });
});
