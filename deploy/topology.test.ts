// The reference topology of compose.yaml run for real, as plain processes on loopback: one PostgreSQL, two gateways
// on two ports, two workers (`npm run worker`'s command). What holds across processes is checked from the outside:
// a job submitted through one gateway is released and readable through the other; a worker killed mid-job still ends
// the job exactly once; an operator suspended through one gateway is refused at once by the other; a client
// assertion spent at one is refused at the other; sign-in limits are one budget; a rotated signing key works on both.
// Results will soon carry differential-privacy noise and fixed completion slots: only statuses and counts are asserted.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../data/index.ts';
import { createTestDatabase, loadDataset, registerDataset, testDatabaseKind, type Database, type TestDatabase } from '../store/index.ts';
import { composeServices, freePort, startService, stopAll, waitFor, type RunningProcess } from './testing/processes.ts';

const onPostgres = testDatabaseKind() === 'postgres';
const PASSWORDS = { security: 'topology-security-pw', steward: 'topology-steward-pw' };
const PSEUDONYM_SECRET = randomBytes(32).toString('hex');

interface Gateway {
  name: string;
  url: string;
  metricsUrl: string;
  process: RunningProcess;
}
interface Worker {
  name: string;
  metricsUrl: string;
  process: RunningProcess;
  env: Record<string, string>;
  command: string[];
}

let testDb: TestDatabase;
let db: Database;
let dataDir: string;
const gateways: Gateway[] = [];
const workers: Worker[] = [];
const everyProcess = () => [...gateways.map((g) => g.process), ...workers.map((w) => w.process)];

async function ok(url: string): Promise<true | undefined> {
  const res = await fetch(url);
  return res.status === 200 ? true : undefined;
}

/** Fills a compose service's environment for loopback: same keys, local values. */
function loopbackEnv(service: { environment?: Record<string, string> }, values: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(service.environment ?? {})) {
    if (!(key in values)) throw new Error(`compose.yaml sets ${key}: the topology test does not know its loopback value`);
    env[key] = values[key]!;
  }
  return env;
}

function startWorker(name: string, command: string[], env: Record<string, string>, metricsPort: number): Worker {
  return { name, command, env, metricsUrl: `http://127.0.0.1:${metricsPort}`, process: startService(name, command, env) };
}

beforeAll(async () => {
  if (!onPostgres) return;
  testDb = await createTestDatabase();
  db = testDb.database;
  dataDir = mkdtempSync(join(tmpdir(), 'topology-'));
  const services = composeServices();
  const ports = { 'gateway-a': await freePort(), 'gateway-b': await freePort() };
  // one issuer for both gateways, as in compose.yaml
  const publicUrl = `http://127.0.0.1:${ports['gateway-a']}`;
  const shared = {
    DATABASE_URL: testDb.url!,
    PSEUDONYM_SECRET,
    LOG_LEVEL: 'info',
    WORKERS: '0',
    PUBLIC_URL: publicUrl,
    BOOTSTRAP_SECURITY_PASSWORD: PASSWORDS.security,
    BOOTSTRAP_STEWARD_PASSWORD: PASSWORDS.steward,
  };
  for (const [name, service] of Object.entries(services)) {
    const metricsPort = await freePort();
    const env = { ...loopbackEnv(service, { ...shared, METRICS_PORT: String(metricsPort) }), HOST: '127.0.0.1', WORKER_ISOLATES: '1' };
    if (name.startsWith('gateway')) {
      const port = ports[name as keyof typeof ports];
      // compose gives both gateways one DATA_DIR volume (the checkpoint key); here one temporary directory
      const proc = startService(name, service.command!, { ...env, PORT: String(port), DATA_DIR: dataDir, DEMO: '0' });
      gateways.push({ name, url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}`, process: proc });
    } else {
      workers.push(startWorker(name, service.command!, env, metricsPort));
    }
  }
  try {
    for (const g of gateways) await waitFor(`${g.name} ready`, () => ok(`${g.url}/readyz`), 90_000);
    for (const w of workers) await waitFor(`${w.name} alive`, () => ok(`${w.metricsUrl}/healthz`), 90_000);
  } catch (err) {
    for (const p of everyProcess()) process.stderr.write(`--- ${p.name}\n${p.output().slice(-3000)}\n`);
    throw err;
  }
  await registerDataset(db.db, DATASETS.population.definition);
  await loadDataset(db, { code: 'population', format: 'csv', body: generatedCsv('population', 600, 'topology'), loadedBy: 'test' });
}, 180_000);

afterAll(async () => {
  await stopAll(everyProcess());
  await testDb?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const [A, B] = [() => gateways[0]!, () => gateways[1]!];

async function call(gateway: Gateway, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  return fetch(`${gateway.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}

async function login(gateway: Gateway, username: 'security' | 'steward'): Promise<Record<string, string>> {
  const res = await call(gateway, '/auth/login', { body: { username, password: PASSWORDS[username] } });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
}

interface Operator {
  id: string;
  licenseId: string;
  assertion(): Promise<string>;
}

async function registerOperator(security: Record<string, string>): Promise<Operator> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${randomUUID().slice(0, 8)}`;
  const registered = await call(A(), '/security/operators', {
    headers: security,
    body: { name: '某某数据科技有限公司', uscc: '91350100M000100Y43', contact: { name: '张三', email: 'ops@example.com', phone: '+86-571-88880000' }, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] } },
  });
  expect(registered.status).toBe(201);
  const { id } = (await registered.json()) as { id: string };
  const granted = await call(A(), `/security/operators/${id}/licenses`, {
    headers: security,
    body: {
      scenario: '拓扑测试',
      datasets: [{ code: 'population', fields: ['sex', 'birth_date', 'annual_income'], operations: ['aggregate'] }],
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86400_000).toISOString(),
      ipAllowlist: ['127.0.0.0/8'],
      privacyBudget: { epsilon: 5 },
      maxJobsPerDay: 50,
    },
  });
  expect(granted.status).toBe(201);
  const { id: licenseId } = (await granted.json()) as { id: string };
  const tokenEndpoint = `${A().url}/auth/token`;
  const sign = (key: CryptoKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: id, sub: id, aud: tokenEndpoint, iat: now, exp: now + 120, jti: randomUUID() }).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
  };
  return { id, licenseId, assertion: () => sign(privateKey) };
}

const tokenForm = (assertion: string) => ({
  grant_type: 'client_credentials',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
});

async function operatorBearer(gateway: Gateway, op: Operator): Promise<Record<string, string>> {
  const res = await call(gateway, '/auth/token', { form: tokenForm(await op.assertion()) });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
}

const FINAL = new Set(['succeeded', 'failed', 'rejected', 'review']);
async function finalStatus(gateway: Gateway, bearer: Record<string, string>, id: string, timeoutMs = 120_000): Promise<string> {
  return waitFor(
    `job ${id} to end`,
    async () => {
      const job = (await (await call(gateway, `/operator/jobs/${id}`, { headers: bearer })).json()) as { status: string };
      return FINAL.has(job.status) ? job.status : undefined;
    },
    timeoutMs,
    200,
  );
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe.skipIf(!onPostgres)('two gateways and two workers on one PostgreSQL, as processes on loopback (needs TEST_DATABASE_URL)', () => {
  let security: Record<string, string>;
  let op: Operator;
  let bearer: Record<string, string>;

  it('serve with one identity: a token from one gateway is good at the other, and a client assertion is single-use across both', async () => {
    security = await login(A(), 'security');
    expect((await call(B(), '/security/operators', { headers: security })).status).toBe(200);
    op = await registerOperator(security);
    const assertion = await op.assertion();
    expect((await call(B(), '/auth/token', { form: tokenForm(assertion) })).status).toBe(200);
    const replayed = await call(A(), '/auth/token', { form: tokenForm(assertion) });
    expect(replayed.status).toBe(401); // RFC 6749 §5.2: a bad client assertion is invalid_client
    const problem = (await replayed.json()) as { error: string; error_description: string };
    expect(problem.error).toBe('invalid_client');
    expect(problem.error_description).toMatch(/already used/);
    bearer = await operatorBearer(B(), op);
  });

  it('release a job submitted through one gateway, readable through the other', async () => {
    const submitted = await call(A(), '/operator/jobs', {
      headers: bearer,
      body: { licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: 'export function map(c) { return { keys: { sex: c.sex } }; }' },
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    expect(await finalStatus(B(), bearer, id)).toBe('succeeded');
    const result = await call(B(), `/operator/jobs/${id}/result`, { headers: bearer });
    expect(result.status).toBe(200);
    expect(((await result.json()) as { record: { outcome: string } }).record.outcome).toBe('release');
  }, 180_000);

  it('end a job exactly once when its worker is killed mid-job (the other worker takes it after the lease)', async () => {
    // a real run lasts at least its fixed time slot (≥ 1 s), long enough to be caught running
    const code = 'export function map(c) { return { keys: { sex: c.sex } }; }';
    const submitted = await call(B(), '/operator/jobs', { headers: bearer, body: { licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code } });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const owner = await waitFor(
      'the job to be claimed',
      async () => (await db.sql.query<{ lease_owner: string | null }>('SELECT lease_owner FROM jobs WHERE id = $1 AND status = $2', [id, 'running']))[0]?.lease_owner ?? undefined,
      60_000,
      20,
    );
    const victim = workers.find((w) => owner.startsWith(`${hostname()}:${w.process.pid}:`))!;
    expect(victim, `a worker of ours holds the lease (${owner})`).toBeDefined();
    victim.process.kill('SIGKILL');
    await victim.process.exited;
    // the lease (60 s) would expire by itself; the test moves its end to now instead of waiting
    await db.sql.query(`UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await finalStatus(A(), bearer, id);
    const [job] = await db.sql.query<{ status: string; error_code: string | null; attempts: number; lease_owner: string | null }>('SELECT status, error_code, attempts, lease_owner FROM jobs WHERE id = $1', [id]);
    expect(job).toEqual({ status: 'succeeded', error_code: null, attempts: 2, lease_owner: null });
    expect(await db.sql.query('SELECT job_id FROM job_results WHERE job_id = $1', [id])).toHaveLength(1);
    const ends = await db.sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE resource = $1 AND action LIKE 'job.%' ORDER BY seq`, [`job:${id}`]);
    expect(ends.map((e) => e.action)).toEqual(['job.submitted', 'job.succeeded']);
    // the privacy budget was charged once, at submission: the retry spent nothing more
    const charges = await db.sql.query(`SELECT seq FROM audit_log WHERE action = 'budget.charged' AND details->>'jobId' = $1`, [id]);
    expect(charges).toHaveLength(1);
    expect((await call(A(), `/operator/jobs/${id}/result`, { headers: bearer })).status).toBe(200);
    // the platform restarts the worker (compose: restart; Kubernetes: the Deployment)
    const index = workers.indexOf(victim);
    const port = Number(new URL(victim.metricsUrl).port);
    workers[index] = startWorker(victim.name, victim.command, victim.env, port);
    await waitFor(`${victim.name} back`, () => ok(`${workers[index]!.metricsUrl}/healthz`), 90_000);
  }, 240_000);

  it('refuse an operator suspended through one gateway at once at the other, for live tokens and new ones', async () => {
    expect((await call(B(), '/operator/jobs', { headers: bearer })).status).toBe(200);
    const suspended = await call(A(), `/security/operators/${op.id}/status`, { headers: security, body: { status: 'suspended', reason: 'topology test' } });
    expect(suspended.status).toBe(200);
    const refused = await call(B(), '/operator/jobs', { headers: bearer });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect((await call(B(), '/auth/token', { form: tokenForm(await op.assertion()) })).status).toBe(401); // invalid_client, RFC 6749 §5.2
    await call(A(), `/security/operators/${op.id}/status`, { headers: security, body: { status: 'active', reason: 'reinstated' } });
    expect((await call(B(), '/operator/jobs', { headers: bearer })).status).toBe(200);
  });

  it('rotate the token signing key through one gateway: tokens of the new key and of the old one work at both', async () => {
    const before = await login(A(), 'steward');
    const rotated = await call(B(), '/security/signing-keys/rotate', { method: 'POST', headers: security });
    expect(rotated.status).toBe(201);
    const { kid } = (await rotated.json()) as { kid: string };
    const after = await login(B(), 'steward');
    const header = JSON.parse(Buffer.from(after.authorization!.split('.')[0]!.slice('Bearer '.length), 'base64url').toString()) as { kid: string };
    expect(header.kid).toBe(kid);
    for (const g of gateways) {
      expect((await call(g, '/steward/datasets', { headers: after })).status).toBe(200);
      expect((await call(g, '/steward/datasets', { headers: before })).status).toBe(200);
    }
    const jwks = (await (await call(A(), '/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
  });

  it('spend one sign-in budget across both gateways (rate limits shared through PostgreSQL)', async () => {
    // the default /auth/* bucket holds 10 per address; alone, each gateway would allow 10 more
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call(gateways[i % 2]!, '/auth/login', { body: { username: 'nobody', password: 'wrong-password-1' } })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8);
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);
  });

  it('export metrics on each process’s own port: requests by route on gateways, jobs by outcome on workers; none on the public port', async () => {
    expect((await fetch(`${A().url}/metrics`)).status).toBe(404);
    const gatewayMetrics = await scrape(A().metricsUrl);
    expect(gatewayMetrics).toMatch(/^http_server_requests_total\{method="POST",route="\/operator\/jobs",status="202"\} \d+/m);
    expect(gatewayMetrics).toMatch(/^job_queue_depth 0$/m);
    expect(gatewayMetrics).toMatch(/^privacy_epsilon_spent|^# HELP privacy_epsilon_spent/m);
    const succeeded = await Promise.all(workers.map(async (w) => Number(/^job_runs_total\{operation="aggregate",outcome="succeeded"\} (\d+)/m.exec(await scrape(w.metricsUrl))?.[1] ?? 0)));
    // three jobs ran: one by whichever worker, the killed one's retry by the survivor (the restarted worker starts at 0)
    expect(succeeded.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  it('continue a caller’s trace: traceparent in, traceparent out with the same trace id, and the id in the gateway’s log', async () => {
    const traceId = randomBytes(16).toString('hex');
    const res = await call(B(), '/open/datasets', { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    await waitFor('the access log line', async () => (B().process.output().includes(`"traceId":"${traceId}"`) ? true : undefined), 5_000);
  });

  it('never wrote a secret to any process’s output', () => {
    for (const p of everyProcess()) {
      for (const secret of [PASSWORDS.security, PASSWORDS.steward, PSEUDONYM_SECRET, testDb.url!, security.authorization!.slice(7)]) expect(p.output().includes(secret), p.name).toBe(false);
    }
  });
});

describe.skipIf(onPostgres)('the multi-process topology', () => {
  it.skip('needs a PostgreSQL server (TEST_DATABASE_URL): PGlite is one process’s own database', () => {});
});
