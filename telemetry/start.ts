// Starts a process's telemetry: tracing (exported only when configured) and the separate /metrics listener if any.
import type { Server } from 'node:http';
import type { TelemetryConfig } from './config.ts';
import { serveMetrics } from './serve-metrics.ts';
import { startTracing } from './tracing.ts';

export interface ProcessTelemetry {
  /** the /metrics listener, when METRICS_PORT is set */
  metricsServer: Server | null;
  /** flushes pending spans and closes the listener */
  stop(): Promise<void>;
}

export async function startProcessTelemetry(serviceName: string, config: TelemetryConfig): Promise<ProcessTelemetry> {
  const stopTracing = startTracing({ serviceName, otlpEndpoint: config.otlpTracesEndpoint ?? undefined, sampleRatio: config.sampleRatio });
  const metricsServer = config.metricsListener ? await serveMetrics(config.metricsListener) : null;
  return {
    metricsServer,
    async stop() {
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      await stopTracing().catch(() => {});
    },
  };
}
