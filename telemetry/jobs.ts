// The hook job workers report through (sandbox/jobs/worker.ts): a span per job with its claim and run stages, and the
// job metrics of this process. sandbox/ stays free of telemetry libraries; it only calls these functions.
import { SpanKind, context, trace } from '@opentelemetry/api';
import { jobQueueWait, jobRoundFailures, jobRunDuration, jobRuns, jobsRequeued } from './metrics.ts';
import { failSpan } from './tracing.ts';

/** What a worker knows of a job it claimed; identifiers and closed values only. */
export interface ObservedJob {
  id: string;
  /** the job's kind (aggregate, model, open_statistic, …) */
  operation: string;
  /** 1 for the first claim, more after a dead worker's lease expired */
  attempt: number;
  createdAt: Date;
}

export interface JobObserver {
  /** A round found expired leases: jobs requeued, and jobs failed after their last attempt. */
  leasesExpired(result: { requeued: number; failed: number }): void;
  /**
   * Runs a claimed job inside its span (`job`, with `job.claim` from `claimStartedAt` and `job.run` around `run`) and
   * records its outcome. `run` resolves with the outcome's status and whether this worker completed the job.
   */
  job<T extends { status: string; completed: boolean }>(job: ObservedJob, claimStartedAt: number, run: () => Promise<T>): Promise<T>;
  /** A round failed on the platform side (the job, if any, stays leased and is retried). */
  roundFailed(err: unknown): void;
}

const tracer = () => trace.getTracer('gov-data-platform');
/** Label values must come from a closed set: anything else is reported as `other`. */
const operationLabel = (operation: string) => (/^[a-z][a-z_-]{0,31}$/.test(operation) ? operation : 'other');

/** The process's observer: OpenTelemetry spans and the metrics of telemetry/metrics.ts. */
export const jobObserver: JobObserver = {
  leasesExpired({ requeued, failed }) {
    if (requeued > 0) jobsRequeued.inc({ result: 'requeued' }, requeued);
    if (failed > 0) jobsRequeued.inc({ result: 'failed' }, failed);
  },
  async job(job, claimStartedAt, run) {
    const operation = operationLabel(job.operation);
    const claimedAt = Date.now();
    jobQueueWait.observe(Math.max(0, claimedAt - job.createdAt.getTime()) / 1000);
    const root = tracer().startSpan('job', {
      kind: SpanKind.CONSUMER,
      startTime: claimStartedAt,
      attributes: { 'job.id': job.id, 'job.operation': operation, 'job.attempt': job.attempt },
    });
    const inJob = trace.setSpan(context.active(), root);
    tracer().startSpan('job.claim', { startTime: claimStartedAt }, inJob).end(claimedAt);
    const runSpan = tracer().startSpan('job.run', {}, inJob);
    let outcome = 'error';
    try {
      const result = await context.with(trace.setSpan(inJob, runSpan), run);
      outcome = result.completed ? result.status : 'lost';
      root.setAttribute('job.outcome', outcome);
      return result;
    } catch (err) {
      failSpan(runSpan, err);
      failSpan(root, err);
      throw err;
    } finally {
      runSpan.end();
      root.end();
      jobRuns.inc({ operation, outcome });
      jobRunDuration.observe({ operation, outcome }, (Date.now() - claimedAt) / 1000);
    }
  },
  roundFailed() {
    jobRoundFailures.inc();
  },
};
