// /metrics and traces through the real app: the token gate, request → verb → database spans continuing the caller's
// traceparent, log lines joined to traces, a job's spans and metrics from a real worker — and, written as an attacker
// would, a hunt for secrets and data values in every metric label and span attribute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker } from '../../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET } from '../../sandbox/jobs/testing.ts';
import { loadDataset } from '../../store/index.ts';
import { recordSpans, type RecordedSpan } from '../../telemetry/index.ts';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

// first, before any span is made: this file's process records every span in memory
const recorder = recordSpans();
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const generous = { rate: 10_000, burst: 10_000 };

let gw: TestGateway;
let app: App;
let op: TestOperator;
let pool: IsolatePool;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  gw = await createTestGateway();
  const config = loadConfig({ DATA_DIR: '/nonexistent', PUBLIC_URL: 'http://gateway.test', METRICS_TOKEN });
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  app = createApp({ config, logger, services: () => gw.services, rateLimits: { perIp: generous, perPrincipal: generous, auth: generous } });
  op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
  pool = createIsolatePool({ size: 1 });
});
afterAll(async () => {
  await pool?.close();
  await gw?.close();
});

const scrape = async () => {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
};
const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)) : false);
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/metrics', () => {
  it('is refused without the token, 404 where no token is configured', async () => {
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token' } })).status).toBe(401);
    expect((await gw.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  });

  it('counts requests by route pattern and status, with latency, audit, pool and platform figures', async () => {
    const before = await scrape();
    const steward = await gw.login('steward', PASSWORDS.steward);
    for (let i = 0; i < 3; i++) expect((await app.request('/steward/datasets/population', { headers: steward })).status).toBe(200);
    expect((await app.request('/steward/datasets/no_such_dataset', { headers: steward })).status).toBe(404);
    const after = await scrape();
    expect(after.startsWith('# HELP')).toBe(true);
    const ok = { method: 'GET', route: '/steward/datasets/:code', status: '200' };
    expect((sample(after, 'http_server_requests_total', ok) ?? 0) - (sample(before, 'http_server_requests_total', ok) ?? 0)).toBe(3);
    expect(sample(after, 'http_server_requests_total', { ...ok, status: '404' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'http_server_request_duration_seconds_count', { method: 'GET', route: '/steward/datasets/:code' })).toBeGreaterThanOrEqual(4);
    // each audited request waited for its entry: the audit histogram moved by at least those four
    expect((sample(after, 'audit_append_duration_seconds_count') ?? 0) - (sample(before, 'audit_append_duration_seconds_count') ?? 0)).toBeGreaterThanOrEqual(4);
    expect(sample(after, 'db_client_connections_max')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'db_client_connections_pending_requests')).toBe(0);
    expect(sample(after, 'db_client_operation_duration_seconds_count', { operation: 'SELECT' })).toBeGreaterThan(0);
    for (const status of ['queued', 'running', 'review']) expect(sample(after, 'jobs', { status })).toBe(0);
    expect(sample(after, 'job_queue_depth')).toBe(0);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('reports a job through the worker hook: spans job → job.claim, job.run → database, and the outcome counters', async () => {
    await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', 300, 'telemetry'), loadedBy: 'test' });
    const bearer = await op.bearer();
    const submitted = await op.request('/operator/jobs', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ licenseId: op.licenseId, datasets: [{ code: 'population', fields: ['sex'] }], code: 'export function map(c) { return { keys: { sex: c.sex } }; }' }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const queued = await scrape();
    expect(sample(queued, 'job_queue_depth')).toBe(1);
    expect(sample(queued, 'job_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    recorder.reset();
    const worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET });
    expect(await worker.runOnce()).toBe(true);
    const spans = recorder.spans();
    const root = spans.find((s) => s.name === 'job' && s.attributes['job.id'] === id)!;
    expect(root).toMatchObject({ parentSpanId: undefined, attributes: { 'job.operation': 'aggregate', 'job.attempt': 1, 'job.outcome': 'succeeded' } });
    const children = spans.filter((s) => s.parentSpanId === root.spanId).map((s) => s.name);
    expect(children.sort()).toEqual(['job.claim', 'job.run']);
    const run = spans.find((s) => s.name === 'job.run' && s.traceId === root.traceId)!;
    const underRun = descendants(spans, run).map((s) => s.name);
    expect(underRun).toContain('TRANSACTION');
    expect(underRun.some((n) => /^SELECT population_v\d+|^SELECT /.test(n))).toBe(true);
    const done = await scrape();
    expect(sample(done, 'job_runs_total', { operation: 'aggregate', outcome: 'succeeded' })).toBe(1);
    expect(sample(done, 'job_queue_depth')).toBe(0);
    expect(sample(done, 'job_queue_wait_seconds_count')).toBe(1);
  });
});

function descendants(spans: RecordedSpan[], of: RecordedSpan): RecordedSpan[] {
  const children = spans.filter((s) => s.parentSpanId === of.spanId);
  return children.flatMap((c) => [c, ...descendants(spans, c)]);
}

describe('traces', () => {
  it("continue the caller's traceparent: request → verb → database, answered with our traceparent; logs carry the trace id", async () => {
    recorder.reset();
    logLines.length = 0;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const steward = await gw.login('steward', PASSWORDS.steward);
    const res = await app.request('/steward/datasets/population', { headers: { ...steward, traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    const out = res.headers.get('traceparent') ?? '';
    expect(out).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const spans = recorder.spans().filter((s) => s.traceId === traceId);
    const server = spans.find((s) => s.name === 'GET /steward/datasets/:code')!;
    expect(server).toMatchObject({ parentSpanId: '00f067aa0ba902b7', kind: 1, attributes: { 'http.route': '/steward/datasets/:code', 'http.response.status_code': 200 } });
    expect(out).toContain(server.spanId);
    const verb = spans.find((s) => s.name.startsWith('verb ') && s.parentSpanId === server.spanId)!;
    expect(verb.name).toBe('verb getDataset'); // the operation's id, as the OpenAPI document names it
    const underVerb = descendants(spans, verb);
    expect(underVerb.some((s) => s.attributes['db.collection.name'] === 'datasets' && s.attributes['db.operation.name'] === 'SELECT')).toBe(true);
    // authentication and the request's audit entry are database work of the request, outside the verb
    expect(descendants(spans, server).some((s) => s.name === 'INSERT audit_log' || s.attributes['db.collection.name'] === 'audit_log')).toBe(true);
    const access = logLines.find((l) => l.msg === 'request' && l.route === '/steward/datasets/:code');
    expect(access).toMatchObject({ traceId, spanId: server.spanId });
    expect(typeof access?.requestId).toBe('string');
    expect(server.attributes['request.id']).toBe(access?.requestId);
  });

  it('start a new trace when the caller sends none, and ignore a malformed traceparent', async () => {
    const fresh = await app.request('/healthz');
    expect(fresh.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const bad = await app.request('/healthz', { headers: { traceparent: '00-zzzz-not-a-trace' } });
    expect(bad.status).toBe(200);
    expect(bad.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

describe('no secrets or data values in metrics or spans', () => {
  it('finds none of the canaries an attacker planted in paths, queries, headers, passwords, tokens and data', async () => {
    recorder.reset();
    const canaries = {
      path: 'CanaryPath7f3a',
      query: 'CanaryQuery91bd',
      header: 'CanaryHeader55ce',
      password: 'CanaryPassword-3e8f-long',
      token: 'CanaryToken.eyJhbGciOi.4d2b',
      value: 'CanaryValue一二三',
      username: 'canary_user_8c1d',
    };
    const steward = await gw.login('steward', PASSWORDS.steward);
    await app.request(`/open/datasets/${canaries.path}?q=${canaries.query}`, { headers: { 'x-request-id': 'req-canary-ok', 'x-forwarded-for': canaries.header, 'user-agent': canaries.header } });
    await app.request(`/open/datasets?q=${encodeURIComponent(canaries.query)}`);
    await app.request(`/portal/datasets/${canaries.path}`);
    await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: canaries.username, password: canaries.password }) });
    await app.request('/steward/datasets', { headers: { authorization: `Bearer ${canaries.token}` } });
    await app.request(`/operator/jobs/${canaries.path}`, { headers: await op.bearer() });
    // a real data value: a dataset registered and loaded with the canary in a field
    const definition = {
      code: 'canary_things',
      name: '测试数据',
      description: 'telemetry leak test',
      department: '市场监督管理局',
      departmentCode: '11100000MB0000000X',
      sourceSystem: 'test',
      updateCycle: 'yearly',
      grade: 'general',
      openType: 'unconditional',
      fields: [{ name: 'label', type: 'string', description: 'a label' }],
    };
    const registered = await app.request('/steward/datasets', { method: 'POST', headers: { ...steward, 'content-type': 'application/json' }, body: JSON.stringify(definition) });
    expect(registered.status).toBe(201);
    const loaded = await app.request('/steward/datasets/canary_things/loads', { method: 'POST', headers: { ...steward, 'content-type': 'text/csv' }, body: `label\n${canaries.value}\n` });
    expect(loaded.status).toBe(201);
    await app.request(`/open/datasets/canary_things/download?format=csv&fields=label`);

    const metrics = await scrape();
    const spans = recorder.spans();
    expect(spans.length).toBeGreaterThan(10);
    const spanText = JSON.stringify(spans);
    for (const [where, canary] of Object.entries(canaries)) {
      expect(metrics.includes(canary), `metrics carry the ${where} canary`).toBe(false);
      expect(spanText.includes(canary), `spans carry the ${where} canary`).toBe(false);
    }
    for (const secret of [PASSWORDS.steward, PASSWORDS.security, METRICS_TOKEN, steward.authorization!.slice(7)]) {
      expect(metrics.includes(secret)).toBe(false);
      expect(spanText.includes(secret)).toBe(false);
    }
    // structurally too: only known attribute keys, and routes are patterns from the app's own table
    const allowedKeys = new Set(['http.request.method', 'http.route', 'http.response.status_code', 'request.id', 'error.type', 'db.system.name', 'db.operation.name', 'db.collection.name', 'job.id', 'job.operation', 'job.attempt', 'job.outcome']);
    for (const span of spans) for (const key of Object.keys(span.attributes)) expect(allowedKeys, `span attribute ${key}`).toContain(key);
    const routes = new Set(app.routes.map((r) => r.path));
    for (const match of metrics.matchAll(/route="([^"]*)"/g)) expect(routes, `route label ${match[1]}`).toContain(match[1]);
  });
});
