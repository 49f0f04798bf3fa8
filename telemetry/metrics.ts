// Every Prometheus metric the platform exports, in one place (docs/operations.md lists them). One registry per process.
// Label values come from closed sets or identifiers (route patterns, job statuses, dataset codes): never a request's
// path, query, body, header, or any data value (telemetry.test.ts and gateway/telemetry/no-leaks.test.ts check).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds: from a fast cached read to a slow export. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: a job runs from a fraction of a second to its wall-time limit; it may wait minutes in the queue. */
const JOB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export const httpRequests = new Counter({
  name: 'http_server_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Time from the request to its response headers, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const httpInFlight = new Gauge({
  name: 'http_server_requests_in_flight',
  help: 'Requests being handled now',
  registers: [registry],
});

export const rateLimitRefusals = new Counter({
  name: 'rate_limit_refusals_total',
  help: 'Requests refused with 429, by bucket (ip, auth, principal)',
  labelNames: ['bucket'] as const,
  registers: [registry],
});

export const rateLimitStoreFailures = new Counter({
  name: 'rate_limit_store_failures_total',
  help: 'Shared (PostgreSQL) rate-limit checks that failed and fell back to this process\'s own buckets',
  registers: [registry],
});

export const auditAppendDuration = new Histogram({
  name: 'audit_append_duration_seconds',
  help: 'Time from an audit append to its commit (group commit included): what a request waits for its entry to be durable',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const auditAppendFailures = new Counter({
  name: 'audit_append_failures_total',
  help: 'Audit appends that failed (the request fails closed)',
  registers: [registry],
});

export const dbOperationDuration = new Histogram({
  name: 'db_client_operation_duration_seconds',
  help: 'Database statements and transactions, by operation (SELECT, INSERT, UPDATE, DELETE, TRANSACTION, ...)',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** What a database handle reports about its connection pool. */
export interface PoolStats {
  /** connections the pool may open */
  max: number;
  /** connections busy with a statement or a transaction */
  inUse: number;
  /** statements and transactions waiting for a free connection */
  pending: number;
}

let poolSource: (() => PoolStats | undefined) | undefined;

/** The process's database pool, read at each scrape. The last caller wins (one pool per server process). */
export function observePool(source: () => PoolStats | undefined): void {
  poolSource = source;
}

const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const stats = poolSource?.();
      if (stats) this.set(pick(stats));
    },
  });
poolGauge('db_client_connections_max', 'Connections the database pool may open', (s) => s.max);
poolGauge('db_client_connections_in_use', 'Database connections busy now', (s) => s.inUse);
poolGauge('db_client_connections_pending_requests', 'Statements and transactions waiting for a database connection', (s) => s.pending);

/** Platform-wide figures read from the database at scrape time (every gateway reports the same: aggregate with max). */
export interface PlatformFigures {
  /** jobs now in each non-final status (queued, running, review) */
  jobsByStatus: Record<string, number>;
  /** age of the oldest queued job, 0 when none waits */
  oldestQueuedSeconds: number;
  /** zCDP ρ spent so far, per dataset code, summed over licences (ρ composes by addition) */
  rhoSpentByDataset: Record<string, number>;
  /** the ε (at the platform's budget δ) that each dataset's ρ amounts to */
  epsilonSpentByDataset: Record<string, number>;
}

let platformSource: (() => Promise<PlatformFigures | undefined>) | undefined;
let platformRead: Promise<PlatformFigures | undefined> | undefined;

/** Where the database-derived gauges come from. The last caller wins. */
export function observePlatform(source: () => Promise<PlatformFigures | undefined>): void {
  platformSource = source;
}

export const platformReadFailures = new Counter({
  name: 'platform_figures_read_failures_total',
  help: 'Scrapes whose database-derived figures could not be read (the gauges keep their last values)',
  registers: [registry],
});

/** One database read per scrape, shared by the gauges below. */
async function platformFigures(): Promise<PlatformFigures | undefined> {
  if (!platformSource) return undefined;
  platformRead ??= platformSource()
    .catch(() => {
      platformReadFailures.inc();
      return undefined;
    })
    .finally(() => setImmediate(() => (platformRead = undefined)));
  return platformRead;
}

new Gauge({
  name: 'jobs',
  help: 'Jobs now queued, running or waiting for human review (whole platform)',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    const figures = await platformFigures();
    if (!figures) return;
    for (const status of ['queued', 'running', 'review']) this.set({ status }, figures.jobsByStatus[status] ?? 0);
  },
});

new Gauge({
  name: 'job_queue_depth',
  help: 'Jobs waiting for a worker (whole platform)',
  registers: [registry],
  async collect() {
    const figures = await platformFigures();
    if (figures) this.set(figures.jobsByStatus.queued ?? 0);
  },
});

new Gauge({
  name: 'job_queue_oldest_age_seconds',
  help: 'How long the oldest queued job has waited (0 when the queue is empty)',
  registers: [registry],
  async collect() {
    const figures = await platformFigures();
    if (figures) this.set(figures.oldestQueuedSeconds);
  },
});

new Gauge({
  name: 'privacy_rho_spent',
  help: 'Privacy budget spent so far per dataset, as zCDP ρ summed over licences (ρ adds up across jobs)',
  labelNames: ['dataset'] as const,
  registers: [registry],
  async collect() {
    const figures = await platformFigures();
    if (!figures) return;
    this.reset();
    for (const [dataset, rho] of Object.entries(figures.rhoSpentByDataset)) this.set({ dataset }, rho);
  },
});

new Gauge({
  name: 'privacy_epsilon_spent',
  help: 'Privacy budget spent so far per dataset, as the ε at the budget δ of its summed zCDP ρ',
  labelNames: ['dataset'] as const,
  registers: [registry],
  async collect() {
    const figures = await platformFigures();
    if (!figures) return;
    this.reset();
    for (const [dataset, epsilon] of Object.entries(figures.epsilonSpentByDataset)) this.set({ dataset }, epsilon);
  },
});

export const jobRuns = new Counter({
  name: 'job_runs_total',
  help: 'Jobs this process ran to an end, by operation and outcome (succeeded, failed, rejected, review; lost = lease lost)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});

export const jobRunDuration = new Histogram({
  name: 'job_run_duration_seconds',
  help: 'Time from claim to completion of the jobs this process ran, by operation and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [registry],
});

export const jobQueueWait = new Histogram({
  name: 'job_queue_wait_seconds',
  help: 'Time from submission to the claim that ran the job',
  buckets: JOB_BUCKETS,
  registers: [registry],
});

export const jobsRequeued = new Counter({
  name: 'job_lease_expiries_total',
  help: "Jobs whose worker's lease expired, by what happened next (requeued, or failed after their last attempt)",
  labelNames: ['result'] as const,
  registers: [registry],
});

export const jobRoundFailures = new Counter({
  name: 'job_round_failures_total',
  help: 'Worker rounds that failed on the platform side (database away); the job stays leased and is retried',
  registers: [registry],
});

/** The Prometheus text exposition of every metric of this process. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
