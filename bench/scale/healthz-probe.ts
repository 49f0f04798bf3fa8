// /healthz as a load balancer sees it: one request every 50 ms on a new connection (the next one leaves when the last
// has answered, so a stall shows as one long latency, not as a pile of queued ones), from 127.0.0.2 so that its
// per-address rate-limit bucket is not the operator's or the steward's. A request that fails (reset, refused, timed
// out, not 200) counts with the time it took, and is counted apart.
import { request } from 'node:http';
import { sleep } from './processes.ts';

const INTERVAL_MS = 50;

function once(url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: false, localAddress: '127.0.0.2', timeout: 60_000 }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`/healthz answered ${res.statusCode}`))));
    });
    req.once('timeout', () => req.destroy(new Error('/healthz did not answer in 60 s')));
    req.once('error', reject);
    req.end();
  });
}

export interface Probe {
  /** stops probing; resolves with every latency measured (ms) and how many of those requests failed */
  stop(): Promise<{ latencies: number[]; failed: number }>;
}

export function probeHealthz(base: string): Probe {
  const url = new URL('/healthz', base);
  const latencies: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      latencies.push(
        await once(url).catch(() => {
          failed++;
          return performance.now() - started;
        }),
      );
      const rest = INTERVAL_MS - (performance.now() - started);
      if (rest > 0) await sleep(rest);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies, failed };
    },
  };
}

/** The nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
