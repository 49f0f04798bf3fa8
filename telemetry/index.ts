// Telemetry: Prometheus metrics and OpenTelemetry traces. A kernel like errors/: it imports no other module of ours,
// and it is the only module that imports prom-client and @opentelemetry/*.
export {
  auditAppendDuration,
  auditAppendFailures,
  dbOperationDuration,
  httpDuration,
  httpInFlight,
  httpRequests,
  metricsText,
  observePlatform,
  observePool,
  rateLimitRefusals,
  rateLimitStoreFailures,
  registry,
} from './metrics.ts';
export type { PlatformFigures, PoolStats } from './metrics.ts';
export {
  SpanKind,
  activeTraceFields,
  failSpan,
  startServerSpan,
  startSpan,
  startTracing,
  traceHeaders,
  traceparentOf,
  withActiveSpan,
  withSpan,
} from './tracing.ts';
export type { Attributes, Span, TracingOptions } from './tracing.ts';
export { jobObserver } from './jobs.ts';
export type { JobObserver, ObservedJob } from './jobs.ts';
export { loadTelemetryConfig, telemetryConfigOf, telemetryEnvShape } from './config.ts';
export type { TelemetryConfig } from './config.ts';
export { serveMetrics } from './serve-metrics.ts';
export { startProcessTelemetry } from './start.ts';
export type { ProcessTelemetry } from './start.ts';
export { recordSpans } from './testing.ts';
export type { RecordedSpan, SpanRecorder } from './testing.ts';
