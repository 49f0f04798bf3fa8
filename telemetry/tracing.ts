// OpenTelemetry traces: W3C trace context in and out, spans for requests, verbs, database work and job stages.
// Off unless configured: without an OTLP endpoint nothing is recorded, but trace ids still flow (traceparent in and out,
// trace ids in log lines). Span attributes are identifiers and closed values only, never data values or secrets.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';

export { SpanKind };
export type { Attributes, Span };

const TRACER_NAME = 'gov-data-platform';

export interface TracingOptions {
  /** `service.name` of the spans: gateway or worker */
  serviceName: string;
  /** OTLP/HTTP traces endpoint (…/v1/traces); unset: nothing is exported */
  otlpEndpoint?: string | undefined;
  /** share of new traces recorded when exporting (parent-based: a caller's sampled flag is honoured); default 1 */
  sampleRatio?: number | undefined;
  /** tests: export to this instead (synchronously, every span) */
  exporter?: SpanExporter | undefined;
}

let provider: TracerProvider | undefined;

/**
 * Installs the process's tracer provider, context manager and W3C propagator. Call once at start, before the first
 * request. Returns a function that flushes and stops exporting (for shutdown).
 */
export function startTracing(options: TracingOptions): () => Promise<void> {
  if (provider) throw new TypeError('tracing already started in this process');
  const exporter: SpanExporter | undefined =
    options.exporter ?? (options.otlpEndpoint ? new OTLPTraceExporter({ url: options.otlpEndpoint }) : undefined);
  const processor = options.exporter ? new SimpleSpanProcessor({ exporter: options.exporter }) : exporter ? new BatchSpanProcessor({ exporter }) : undefined;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    // nothing to export: record nothing (ids are still made, so traceparent and log correlation keep working)
    sampler: exporter ? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }) : new AlwaysOffSampler(),
    spanProcessors: processor ? [processor] : [],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const started = provider;
  return () => started.shutdown();
}

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** The error's kind for a span: its stable code when it has one, else its class name (never its message). */
function errorType(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  return (err as Error)?.name ?? 'Error';
}

/** Marks a span failed with the error's kind only: messages may quote SQL parameters or data. */
export function failSpan(span: Span, err: unknown): void {
  span.setAttribute('error.type', errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Runs `fn` inside a child span of the active one; the span ends when `fn` settles. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A span for work measured from the outside (a statement the driver runs): `end` it with or without an error. */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): { span: Span; end(err?: unknown): void } {
  const span = tracer().startSpan(name, { kind, attributes });
  return {
    span,
    end(err?: unknown) {
      if (err !== undefined) failSpan(span, err);
      span.end();
    },
  };
}

/** Runs `fn` with `span` as the active span, so work inside nests under it. */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** A server span continuing the caller's W3C trace context (`traceparent`, `tracestate`) when the headers carry one. */
export function startServerSpan(name: string, headers: { get(name: string): string | null }, attributes: Attributes): Span {
  const parent: Context = propagation.extract(ROOT_CONTEXT, headers, {
    get: (carrier, key) => carrier.get(key) ?? undefined,
    keys: () => ['traceparent', 'tracestate'],
  });
  return tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
}

/** The W3C `traceparent` of a span, or undefined when tracing is not set up (an all-zero context). */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent;
}

/** Headers carrying the active trace context, for an outgoing request. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The active trace and span ids, for log lines (so logs and traces join); empty outside any span. */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
