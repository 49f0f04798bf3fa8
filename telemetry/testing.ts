// Test support: record this process's spans in memory (one call per test file: a process has one tracer provider).
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTracing } from './tracing.ts';

/** A finished span as tests read it: plain values only. */
export interface RecordedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  kind: number;
  attributes: Record<string, unknown>;
  status: number;
}

export interface SpanRecorder {
  spans(): RecordedSpan[];
  reset(): void;
}

export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  startTracing({ serviceName: 'test', exporter });
  return {
    spans: () =>
      exporter.getFinishedSpans().map((s) => ({
        name: s.name,
        traceId: s.spanContext().traceId,
        spanId: s.spanContext().spanId,
        parentSpanId: s.parentSpanContext?.spanId,
        kind: s.kind,
        attributes: { ...s.attributes },
        status: s.status.code,
      })),
    reset: () => exporter.reset(),
  };
}
