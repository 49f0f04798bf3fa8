// The bench as the platform's users: stewards load CSV through POST /steward/datasets/{code}/loads, security staff
// register an operator and grant a licence, the operator (through the SDK's OperatorClient) submits the
// income-by-age-band job and polls it until it is released. Everything over real HTTP to a gateway process.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { exportJWK, generateKeyPair } from 'jose';
import { DATASETS } from '../../data/index.ts';
import { OperatorClient } from '../../sdk/index.ts';
import { sleep } from './processes.ts';

export const STAFF_PASSWORD = 'scale-bench-password-1';
export const FIELDS = ['region_code', 'birth_date', 'annual_income'];
const AGE_BANDS = ['18-29', '30-44', '45-59', '60+'];

/** The demo analysis (examples/income-by-district.js) reduced to the age band: count and mean income per band, DP. */
export async function incomeByAgeBand(code: string, licenseId: string) {
  return {
    licenseId,
    datasets: [{ code: 'population', fields: FIELDS }],
    code,
    params: { bands: [18, 30, 45, 60] },
    outputs: [
      { name: 'n', kind: 'count', by: ['age_band'], domain: { age_band: AGE_BANDS } },
      { name: 'mean_income', kind: 'mean', measure: 'income', by: ['age_band'], bounds: { lo: 0, hi: 500_000 }, domain: { age_band: AGE_BANDS } },
    ],
    privacy: { epsilon: 0.05 },
  };
}

async function call(base: string, path: string, init: RequestInit & { token?: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${base}${path}`, { ...init, headers });
}

async function json<T>(res: Response, what: string, expected: number[] = [200, 201]): Promise<T> {
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function staffToken(base: string, username: 'security' | 'steward'): Promise<string> {
  const res = await call(base, '/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: STAFF_PASSWORD }) });
  return (await json<{ access_token: string }>(res, `sign in as ${username}`)).access_token;
}

export interface ScalePlatform {
  base: string;
  operator: OperatorClient;
  licenseId: string;
  steward: string;
}

/**
 * Registers population (if absent), gives it a yearly budget that a bench's many small jobs cannot exhaust, and
 * registers an operator licensed for the three fields from loopback.
 */
export async function preparePlatform(base: string): Promise<ScalePlatform> {
  const steward = await staffToken(base, 'steward');
  const security = await staffToken(base, 'security');
  const existing = await call(base, '/steward/datasets/population', { token: steward });
  await existing.arrayBuffer();
  if (existing.status === 404) {
    await json(await call(base, '/steward/datasets', { method: 'POST', token: steward, headers: { 'content-type': 'application/json' }, body: JSON.stringify(DATASETS.population.definition) }), 'register population');
  }
  const budget = JSON.stringify({ epsilon: 1000, reason: 'scale benchmark: many small jobs' });
  await json(await call(base, '/steward/datasets/population/privacy-budget', { method: 'PUT', token: steward, headers: { 'content-type': 'application/json' }, body: budget }), 'set the dataset budget');

  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'scale-bench';
  const sec = { 'content-type': 'application/json' };
  const operator = await json<{ id: string }>(
    await call(base, '/security/operators', {
      method: 'POST',
      token: security,
      headers: sec,
      body: JSON.stringify({ name: '规模压测数据公司', uscc: '91350100M000100Y43', contact: { name: '压测', email: 'bench@example.com', phone: '0571-88880000' }, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] } }),
    }),
    'register the operator',
  );
  const licence = await json<{ id: string }>(
    await call(base, `/security/operators/${operator.id}/licenses`, {
      method: 'POST',
      token: security,
      headers: sec,
      body: JSON.stringify({
        scenario: '规模压测：按年龄段的收入',
        datasets: [{ code: 'population', fields: FIELDS, operations: ['aggregate'] }],
        validFrom: new Date(Date.now() - 3600_000).toISOString(),
        validTo: new Date(Date.now() + 7 * 86400_000).toISOString(),
        ipAllowlist: ['127.0.0.0/8', '::1/128'],
        privacyBudget: { epsilon: 100 },
        maxJobsPerDay: 100_000,
      }),
    }),
    'grant the licence',
  );
  const client = new OperatorClient({ baseUrl: base, operatorId: operator.id, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } });
  return { base, operator: client, licenseId: licence.id, steward };
}

/** Loads a CSV file as a new population version through the gateway; progress (bytes sent) every few seconds. */
export async function loadCsv(platform: ScalePlatform, file: string, progress?: (message: string) => void): Promise<{ rowCount: number; seconds: number }> {
  const size = (await stat(file)).size;
  let sent = 0;
  let shown = performance.now();
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  source.on('data', (chunk) => {
    sent += chunk.length;
    if (progress && performance.now() - shown > 5000) {
      shown = performance.now();
      progress(`load: ${((100 * sent) / size).toFixed(0)} % of ${(size / 1e6).toFixed(0)} MB sent`);
    }
  });
  const started = performance.now();
  const res = await fetch(`${platform.base}/steward/datasets/population/loads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.steward}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(source) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const body = await json<{ rowCount: number }>(res, 'load population');
  return { rowCount: body.rowCount, seconds: (performance.now() - started) / 1000 };
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'review';

export async function submitJob(platform: ScalePlatform, job: unknown): Promise<string> {
  return (await platform.operator.request<{ id: string }>('POST', '/operator/jobs', job)).id;
}

export interface JobView {
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Polls the job every `pollMs` until it ends; a job that ends other than released (succeeded) is an error. */
export async function waitReleased(platform: ScalePlatform, id: string, pollMs = 25, timeoutMs = 3600_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let job: JobView;
  for (;;) {
    job = await platform.operator.request<JobView>('GET', `/operator/jobs/${id}`);
    if (job.status === 'succeeded') break;
    if (job.status !== 'queued' && job.status !== 'running') throw new Error(`job ${id} ended ${job.status}: ${JSON.stringify(job).slice(0, 400)}`);
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
  await platform.operator.request('GET', `/operator/jobs/${id}/result`);
  return job;
}

/** Submit → released as the operator sees it, and the worker's part (started → finished, as the job records it), ms. */
export async function jobEndToEnd(platform: ScalePlatform, job: unknown): Promise<{ ms: number; workerMs: number }> {
  const started = performance.now();
  const id = await submitJob(platform, job);
  const view = await waitReleased(platform, id);
  const ms = performance.now() - started;
  return { ms, workerMs: Date.parse(view.finishedAt!) - Date.parse(view.startedAt!) };
}
