// The benchmark harness: groups of cases, each measured several times against a baseline in the same run.

/** One measured number: a rate, so higher is better (rows/s, MB/s, ops/s, requests/s). */
export interface Measurement {
  /** the measured value of one run */
  value: number;
}

export interface BenchCase {
  /** e.g. "generate population" */
  name: string;
  /** e.g. "rows/s" */
  unit: string;
  /** runs one measurement of the case itself */
  run(): Promise<number>;
  /** runs one measurement of the baseline it is compared with, in the same unit */
  baseline(): Promise<number>;
  /** what the baseline is, for the table, e.g. "PostgreSQL COPY of the same CSV" */
  baselineName: string;
  /** runs of this case when not the group's (a 10M-row load is measured once) */
  runs?: number;
}

export interface BenchGroup {
  /** e.g. "storage" */
  name: string;
  /** prepares shared state (data files, databases) and returns the cases; `cleanup` is called at the end */
  setup(options: BenchOptions): Promise<{ cases: BenchCase[]; cleanup(): Promise<void> }>;
}

export interface BenchOptions {
  /** runs per case (the median is reported) */
  runs: number;
  /** scale factor: 1 = the sizes the issues name (e.g. 1,000,000 rows); smaller for a quick look */
  scale: number;
  /** row counts from `--scale 1m,10m` (the `scale` group's sizes); undefined when --scale was a factor */
  sizes?: number[] | undefined;
  /** a PostgreSQL admin URL when available (BENCH_DATABASE_URL), else cases needing one are skipped */
  postgresUrl: string | undefined;
  /** progress lines go here (stderr), never to stdout */
  progress(message: string): void;
}

export interface BenchResult {
  group: string;
  name: string;
  unit: string;
  value: number;
  baseline: number;
  baselineName: string;
  ratio: number;
  runs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Alternates case and baseline runs so drift on a noisy machine hits both alike. */
export async function measure(group: string, c: BenchCase, runs: number): Promise<BenchResult> {
  const values: number[] = [];
  const baselines: number[] = [];
  runs = c.runs ?? runs;
  for (let i = 0; i < runs; i++) {
    values.push(await c.run());
    baselines.push(await c.baseline());
  }
  const value = median(values);
  const baseline = median(baselines);
  return { group, name: c.name, unit: c.unit, value, baseline, baselineName: c.baselineName, ratio: value / baseline, runs };
}

/** Calls `op` until `minMs` have passed (at least `minCalls` times); returns calls per second of wall time. */
export function callsPerSecond(op: () => void, minMs: number, minCalls = 3): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    op();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs || calls < minCalls);
  return calls / (elapsed / 1000);
}
