// Group `sandbox-execution`: operator models through the isolate pool, against the same function run natively here.
//
// Case 1, the figure: one pass over 1,000,000 rows × 3 Float64 columns (× scale) computing a derived measure
// and a bucket key per row, in rows per wall second, end to end: columns to a worker process, a fresh isolate, map,
// the output checked inside and again here. The baseline calls the same source compiled in this process.
// Case 2, per-job overhead: jobs per second for a 1,000-row job, against calling its function natively.
import { createIsolatePool, type ModelJob } from '../../sandbox/execution/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const MAP = `function map(columns, params, info) {
  const { income, size, age } = columns;
  const n = info.rowCount;
  const perCapita = new Float64Array(n);
  const band = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    perCapita[i] = income[i] / size[i];
    const a = age[i];
    band[i] = a < 30 ? 0 : a < 45 ? 1 : a < 60 ? 2 : 3;
  }
  return { keys: { age_band: { codes: band, dictionary: ['<30', '30-44', '45-59', '60+'] } }, measures: { per_capita: perCapita } };
}`;

type NativeMap = (columns: Record<string, Float64Array>, params: object, info: { rowCount: number; asOf: number }) => { measures: { per_capita: Float64Array } };
const nativeMap = new Function(`${MAP}\nreturn map;`)() as NativeMap;

function columns(n: number): Record<string, Float64Array> {
  const income = new Float64Array(n);
  const size = new Float64Array(n);
  const age = new Float64Array(n);
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    income[i] = Math.round(20_000 + next() * 180_000);
    size[i] = 1 + Math.floor(next() * 5);
    age[i] = 16 + Math.floor(next() * 70);
  }
  return { income, size, age };
}

export const sandboxExecutionGroup: BenchGroup = {
  name: 'sandbox-execution',
  async setup(options) {
    const rows = Math.max(1000, Math.round(1_000_000 * options.scale));
    const big = columns(rows);
    const small = columns(1000);
    const pool = createIsolatePool({ size: 1 });
    const job = (cols: Record<string, Float64Array>): ModelJob => ({ code: `export ${MAP}`, columns: cols, limits: { memoryMb: 256 } });

    options.progress(`sandbox-execution: ${rows.toLocaleString('en-US')} rows × 3 columns; starting the worker`);
    // warm-up and a check that both sides compute the same thing
    const first = await pool.run(job(big));
    if (!first.ok) throw new Error(`the benchmark model failed: ${first.code}: ${first.reason}`);
    const native = nativeMap(big, {}, { rowCount: rows, asOf: 0 });
    const sandboxed = first.output.measures.get('per_capita')!;
    if (sandboxed.length !== rows || sandboxed.some((x, i) => x !== native.measures.per_capita[i])) throw new Error('sandbox and native results differ');

    const timed = async (fn: () => unknown | Promise<unknown>, units: number): Promise<number> => {
      const started = performance.now();
      await fn();
      return units / ((performance.now() - started) / 1000);
    };
    const throughput: BenchCase = {
      name: `map over ${rows.toLocaleString('en-US')} rows × 3 columns, through the isolate pool`,
      unit: 'rows/s',
      baselineName: 'the same map run natively in this process',
      run: () =>
        timed(async () => {
          const result = await pool.run(job(big));
          if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
        }, rows),
      baseline: () => timed(() => nativeMap(big, {}, { rowCount: rows, asOf: 0 }), rows),
    };
    const JOBS = 20;
    const overhead: BenchCase = {
      name: 'per-job overhead: 1,000-row jobs, one after another',
      unit: 'jobs/s',
      baselineName: 'the same map called natively',
      run: () =>
        timed(async () => {
          for (let i = 0; i < JOBS; i++) {
            const result = await pool.run(job(small));
            if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
          }
        }, JOBS),
      baseline: () =>
        timed(() => {
          for (let i = 0; i < JOBS; i++) nativeMap(small, {}, { rowCount: 1000, asOf: 0 });
        }, JOBS),
    };
    return { cases: [throughput, overhead], cleanup: () => pool.close() };
  },
};
