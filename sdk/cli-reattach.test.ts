// The operator CLI as a real process over real HTTP, through a TCP proxy that takes the gateway away: `wait` rides out
// refused and reset connections and still prints the result; `result` and `jobs` re-attach; a submission whose
// answer is lost is never sent twice, and the job it created is named.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../sandbox/jobs/testing.ts';
import { OperatorClient } from './index.ts';
import { resultText, type JobResult } from './result-view.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.ts';
import { loadDataset, registerDataset } from '../store/index.ts';
import { serveLater, type LateServer } from '../gateway/testing/serve-later.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../gateway/testing/test-gateway.ts';

let gw: TestGateway;
let server: LateServer;
let proxy: TcpProxy;
let pool: IsolatePool;
let worker: JobWorker;
let client: OperatorClient;
let dir: string;
let credentials: string;

const BY_SEX = `export function map(c) { return { keys: { sex: c.sex }, measures: { income: c.annual_income } }; }`;
const COUNT_BY_SEX = ['--dataset', 'population:sex,annual_income', '--output', 'count:sex', '--domain', 'sex=男,女', '--epsilon', '0.5'];

beforeAll(async () => {
  // clients reach the proxy; the gateway's issuer is the proxy's URL
  proxy = await startTcpProxy();
  server = await serveLater();
  proxy.setTarget(server.port);
  gw = await createTestGateway({ publicUrl: proxy.url });
  server.attach(gw.app);
  const security = await gw.login('security', PASSWORDS.security);
  await registerDataset(gw.services.database.db, DATASETS.population.definition);
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'cli-reattach';
  const post = async (path: string, body: unknown) => {
    const res = await gw.app.request(path, { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const { id: operatorId } = await post('/security/operators', {
    name: '断线重连测试科技有限公司',
    uscc: '91350100M000100Y43',
    contact: { name: '王五', email: 'cli@example.com', phone: '+86-571-88880002' },
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] },
  });
  await post(`/security/operators/${operatorId}/licenses`, {
    scenario: '断线重连测试',
    datasets: [{ code: 'population', fields: ['sex', 'annual_income'], operations: ['aggregate'] }],
    validFrom: new Date(Date.now() - 3600_000).toISOString(),
    validTo: new Date(Date.now() + 86400_000).toISOString(),
    ipAllowlist: ['127.0.0.0/8', '::1/128'],
    privacyBudget: { epsilon: 5 },
    maxJobsPerDay: 20,
  });
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 600, 'reattach'), loadedBy: 'test' });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  client = new OperatorClient({ baseUrl: proxy.url, operatorId, privateJwk });
  dir = await mkdtemp(join(tmpdir(), 'operator-cli-'));
  credentials = join(dir, 'operator.json');
  await writeFile(credentials, JSON.stringify({ baseUrl: proxy.url, operatorId, privateJwk }), { mode: 0o600 });
  await writeFile(join(dir, 'by-sex.js'), BY_SEX);
  pool = createIsolatePool({ size: 1 });
  worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, pollMs: 50, slot: TEST_SLOT });
});
afterAll(async () => {
  await worker?.stop();
  await pool?.close();
  await proxy?.close();
  await server?.close();
  await gw?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  stdout: string;
  stderr: string;
  /** resolves once stderr matches */
  saw(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exit: Promise<number>;
}

/** `npm run operator -- <argv>` as a real process, with the test's credentials. */
function cli(argv: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sdk/cli.ts', ...argv], { cwd: process.cwd(), env: { ...process.env, OPERATOR_CREDENTIALS: credentials, OPERATOR_RETRY_SECONDS: '60' } });
  const run: Run = {
    stdout: '',
    stderr: '',
    async saw(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(run.stderr);
        if (m) return m;
        if (Date.now() > until || child.exitCode !== null) throw new Error(`stderr never matched ${pattern}:\n${run.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exit: new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1))),
  };
  child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

async function jobIds(): Promise<string[]> {
  const { items } = await client.request<{ items: { id: string }[] }>('GET', '/operator/jobs?limit=100');
  return items.map((j) => j.id);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let firstJob: string;

// each CLI run is a fresh Node process (about a second to start): more than the default 30 s on a busy machine
describe('operator CLI through dropped connections', { timeout: 120_000 }, () => {
  it('wait: follows a job while the gateway is unreachable, then prints the released result as submit would', async () => {
    const { id } = await client.request<{ id: string }>('POST', '/operator/jobs', {
      licenseId: (await client.request<{ items: { licenseId: string }[] }>('GET', '/operator/datasets')).items[0]!.licenseId,
      datasets: [{ code: 'population', fields: ['sex', 'annual_income'] }],
      code: BY_SEX,
      params: {},
      outputs: [{ name: 'count', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } }],
      privacy: { epsilon: 0.5 },
    });
    firstJob = id;
    const chart = join(dir, 'wait.svg');
    const run = cli(['wait', id, '--chart', chart]);
    await run.saw(new RegExp(`job ${id}: queued`));
    // the gateway goes away: open connections reset, new ones refused
    await proxy.down();
    await run.saw(/connection lost \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|fetch failed|terminated)\), retrying in \d+ s …/);
    worker.start(); // the job runs while the CLI cannot see it
    await sleep(1500);
    await proxy.up();
    expect(await run.exit).toBe(0);
    expect(run.stderr).toMatch(/connection back after \d+\.\d s/);
    expect(run.stderr).toMatch(/checks: .*dp_noise applied/);
    expect(run.stderr).toMatch(/\] released\n/);
    const result = await client.request<JobResult>('GET', `/operator/jobs/${id}/result`);
    expect(run.stdout).toBe(resultText(result));
    expect(run.stdout).toMatch(/^男\s+[\d,]+\s+[\d,]+ … [\d,]+$/m);
    expect(await readFile(chart, 'utf8')).toMatch(/^<svg /);
  });

  it('result and jobs re-attach from another process; unknown and malformed ids are clear errors', async () => {
    const again = cli(['result', firstJob]);
    expect(await again.exit).toBe(0);
    expect(again.stdout).toBe(resultText(await client.request<JobResult>('GET', `/operator/jobs/${firstJob}/result`)));
    const list = cli(['jobs']);
    expect(await list.exit).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${firstJob}\\s+succeeded\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+population:sex,annual_income\\s+ε 0.5$`, 'm'));
    const datasets = cli(['datasets']);
    expect(await datasets.exit).toBe(0);
    expect(datasets.stdout).toMatch(/^population {2}\S+ {2}\[aggregate\] {2}licence /m);
    expect(datasets.stdout).toMatch(/^ {4}field +type +what the masked value keeps\n {4}sex +string +/m);
    const cases: [string[], RegExp][] = [
      [['result', '00000000-0000-4000-8000-000000000000'], /^error: no job 00000000-0000-4000-8000-000000000000 among your jobs/],
      [['wait', 'job-1'], /^error: "job-1" is not a job id/],
      [['wait'], /^error: wait needs exactly one job id/],
      [['result', firstJob, '--chart', 'x.png'], /^error: --chart must name an \.svg file/],
      [['wait', firstJob, '--retry-for', 'soon'], /^error: --retry-for must be a number of seconds/],
    ];
    const runs = cases.map(([argv]) => cli(argv));
    for (const [i, [argv, message]] of cases.entries()) {
      const r = runs[i]!;
      expect(await r.exit, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('submit: connections reset again and again while it waits; one job, and the result printed', async () => {
    const before = await jobIds();
    const run = cli(['submit', join(dir, 'by-sex.js'), ...COUNT_BY_SEX]);
    const [, id] = await run.saw(/queued — job ([0-9a-f-]{36})/);
    for (let i = 0; i < 6; i++) {
      proxy.resetAll();
      await sleep(150);
    }
    await proxy.down();
    await sleep(800);
    await proxy.up();
    expect(await run.exit).toBe(0);
    expect(run.stdout).toMatch(/count: count by sex/);
    expect(run.stdout).toBe(resultText(await client.request<JobResult>('GET', `/operator/jobs/${id}/result`)));
    const after = await jobIds();
    expect(after.filter((j) => !before.includes(j))).toEqual([id]);
  });

  it('submit: a gateway that refuses connections is waited for (nothing was sent), then the job is submitted once', async () => {
    const before = await jobIds();
    const licenseId = (await client.request<{ items: { licenseId: string }[] }>('GET', '/operator/datasets')).items[0]!.licenseId;
    await proxy.down();
    // with --license the first thing sent is the token request, then the submission
    const run = cli(['submit', join(dir, 'by-sex.js'), '--license', licenseId, ...COUNT_BY_SEX]);
    await run.saw(/cannot connect \(ECONNREFUSED\), nothing submitted yet; retrying in \d+ s …/);
    await sleep(1000);
    await proxy.up();
    expect(await run.exit).toBe(0);
    const [, id] = /queued — job ([0-9a-f-]{36})/.exec(run.stderr)!;
    expect((await jobIds()).filter((j) => !before.includes(j))).toEqual([id]);
    expect(run.stdout).toMatch(/count: count by sex/);
  });

  it('wait on a job that failed: exit 1 and one line saying why', async () => {
    const licenseId = (await client.request<{ items: { licenseId: string }[] }>('GET', '/operator/datasets')).items[0]!.licenseId;
    const { id } = await client.request<{ id: string }>('POST', '/operator/jobs', { licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: 'export function map() { throw new TypeError("x"); }', params: {}, dryRun: true });
    const run = cli(['wait', id]);
    expect(await run.exit).toBe(1);
    expect(run.stderr.split('\n').filter((l) => /failed: /.test(l))).toHaveLength(1);
    expect(run.stderr).toMatch(/\] failed: RUNTIME_ERROR: TypeError thrown at line 1/);
    expect(run.stdout).toBe('');
  });

  it('submit: an answer lost after the platform queued the job is not sent again; the job is named for wait', async () => {
    // the jobs above have the same shape: they must lie outside the submission's window (±1.5 s) to be told apart
    await sleep(2000);
    const before = await jobIds();
    proxy.loseAnswerTo(/^POST \/operator\/jobs /);
    const run = cli(['submit', join(dir, 'by-sex.js'), ...COUNT_BY_SEX]);
    expect(await run.exit).toBe(4);
    expect(proxy.lostAnswers).toBe(1);
    expect(run.stderr).toMatch(/the answer to the submission was lost \((ECONNRESET|UND_ERR_SOCKET|fetch failed|terminated|socket hang up)\); it is not sent again/);
    // earlier jobs of the same shape (the tests above) are told apart by their creation time on the platform's clock
    const named = [...run.stderr.matchAll(/the platform queued it as job ([0-9a-f-]{36}) \(created [^)]+\); follow it with: operator -- wait \1/g)].map((m) => m[1]);
    const created = (await jobIds()).filter((j) => !before.includes(j));
    expect(created).toHaveLength(1);
    expect(named).toEqual(created);
    expect(run.stdout).toBe('');
    const follow = cli(['wait', named[0]!]);
    expect(await follow.exit).toBe(0);
    expect(follow.stdout).toMatch(/count: count by sex/);
  });
});
