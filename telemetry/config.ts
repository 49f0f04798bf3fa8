// The telemetry settings of a process, from its environment: where /metrics is served and where traces go.
import { z } from 'zod';

/** Environment variables of telemetry; the gateway merges them into its own schema so one start reports every bad one. */
export const telemetryEnvShape = {
  /** serve /metrics on this port (all interfaces of METRICS_HOST) instead of the main port */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  /** serve /metrics on the main port to callers presenting this bearer token */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  /** OTLP/HTTP endpoint; traces go to <endpoint>/v1/traces (the standard OpenTelemetry variable) */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** OTLP/HTTP traces endpoint, used as given (the standard OpenTelemetry variable) */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** share of new traces recorded, 0..1 (parent-based) */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
};

const telemetryEnvSchema = z.object(telemetryEnvShape);
type TelemetryEnv = z.infer<typeof telemetryEnvSchema>;

export interface TelemetryConfig {
  /** null: no separate listener */
  metricsListener: { port: number; host: string } | null;
  /** null: /metrics is not served on the main port */
  metricsToken: string | null;
  /** null: traces are not exported */
  otlpTracesEndpoint: string | null;
  sampleRatio: number;
}

export function telemetryConfigOf(env: TelemetryEnv, defaultHost: string): TelemetryConfig {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  return {
    metricsListener: env.METRICS_PORT === undefined ? null : { port: env.METRICS_PORT, host: env.METRICS_HOST ?? defaultHost },
    metricsToken: env.METRICS_TOKEN ?? null,
    otlpTracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : null),
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

/** Throws Error naming each bad variable (never its value: a token is a secret). */
export function loadTelemetryConfig(env: NodeJS.ProcessEnv, defaultHost: string): TelemetryConfig {
  const parsed = telemetryEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return telemetryConfigOf(parsed.data, defaultHost);
}
