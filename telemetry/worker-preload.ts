// Preloaded into `npm run worker` (node --import): the worker process's telemetry, started before the worker itself,
// so sandbox/worker.ts needs no telemetry code. METRICS_PORT serves /metrics and /healthz (the probe of a worker).
import { loadTelemetryConfig } from './config.ts';
import { startProcessTelemetry } from './start.ts';

try {
  const config = loadTelemetryConfig(process.env, process.env.HOST ?? '0.0.0.0');
  const telemetry = await startProcessTelemetry('worker', config);
  // best effort: the worker ends with process.exit after draining its job, so spans still batched may be lost
  // (a job's own spans are exported as soon as it ends, well before that)
  process.once('exit', () => void telemetry.stop());
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(2);
}
