// Group `sandbox` (issue 5's benchmarks): what a job costs end to end, and how jobs scale with workers.
//
// (a) Overhead: submit → released for a trivial job (count by sex) on 10,000 population rows (× scale), through the
//     real HTTP app (POST /operator/jobs, GET the result) and an in-process worker; p50 and p95 in ms (LOWER is
//     better). Baseline: the worker's part alone (claim, read and mask the columns, isolate, reduce, check, complete)
//     for the same job queued straight into the table — the difference is the HTTP, Cedar, audit and queue cost.
// (b) Throughput inside the sandbox: the `sandbox-execution` group's case (1,000,000 rows × 3 columns through the
//     isolate pool against the same function run natively), reused here rather than duplicated.
// (d) The cost of confinement (issue 12): the worker's part of a realistic job (income by age band over region,
//     birth date and income; the isolates, the preflight, the check partitions, the DP release) on 100,000 rows
//     (× scale), against the same job with no check partitions (one main run) — the aim is ≤ 1.6×. Both without the
//     time slot (the padding hides the work by design; here the work itself is measured).
// (c) Jobs per minute with TWO workers (two createWorker instances, each with its own isolate process, claiming from
//     the same database with SKIP LOCKED) on the population dataset, against ONE worker.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { generatedCsv } from '../../data/index.ts';
import { createTestGateway, PASSWORDS } from '../../gateway/testing/test-gateway.ts';
import { createTestOperator } from '../../gateway/testing/test-operator.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../../sandbox/jobs/index.ts';
import { queueJob, TEST_PSEUDONYM_SECRET } from '../../sandbox/jobs/testing.ts';
import { licenses, loadDataset } from '../../store/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';
import { sandboxExecutionGroup } from './sandbox-execution.ts';

const CODE = 'export function map(c) { return { keys: { sex: c.sex } }; }';
// a small ε: the latency runs submit many jobs, each charged at submission
const JOB = { datasets: [{ code: 'population', fields: ['sex'] }], code: CODE, privacy: { epsilon: 0.05 } };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const sandboxGroup: BenchGroup = {
  name: 'sandbox',
  async setup(options) {
    const rows = Math.max(1000, Math.round(10_000 * options.scale));
    const gw = await createTestGateway();
    const op = await createTestOperator(gw, await gw.login('security', PASSWORDS.security));
    const database = gw.services.database;
    options.progress(`sandbox: loading ${rows.toLocaleString('en-US')} population rows`);
    await loadDataset(database, { code: 'population', format: 'csv', body: generatedCsv('population', rows, 'bench-sandbox'), loadedBy: 'bench' });
    await database.db.update(licenses).set({ maxJobsPerDay: 1_000_000 }).where(eq(licenses.id, op.licenseId));
    const licence = { operatorId: op.id, licenseId: op.licenseId };
    const policies = gw.services.policies;
    const pools: IsolatePool[] = [createIsolatePool({ size: 1 }), createIsolatePool({ size: 1 })];
    const workers: JobWorker[] = pools.map((pool, i) => createWorker({ database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, workerId: `bench-${i}`, slot: 'none' }));
    const bearer = await op.bearer();
    const headers = { ...bearer, 'content-type': 'application/json' };

    const endToEnd = async (): Promise<number> => {
      const started = performance.now();
      const res = await op.request('/operator/jobs', { method: 'POST', headers, body: JSON.stringify({ licenseId: op.licenseId, ...JOB }) });
      if (res.status !== 202) throw new Error(`submit failed: ${res.status}`);
      const { id } = (await res.json()) as { id: string };
      if (!(await workers[0]!.runOnce())) throw new Error('the worker found no job');
      const result = await op.request(`/operator/jobs/${id}/result`, { headers: bearer });
      if (result.status !== 200) throw new Error(`the job was not released: ${result.status}`);
      await result.arrayBuffer();
      return performance.now() - started;
    };
    const workerOnly = async (): Promise<number> => {
      await queueJob(database, licence, JOB);
      const started = performance.now();
      if (!(await workers[0]!.runOnce())) throw new Error('the worker found no job');
      return performance.now() - started;
    };
    // warm-up: isolate processes started, statements prepared
    for (let i = 0; i < 3; i++) await endToEnd();
    await workerOnly();

    const JOBS_PER_RUN = 10;
    const latencies = (fn: () => Promise<number>) => async () => {
      const out: number[] = [];
      for (let i = 0; i < JOBS_PER_RUN; i++) out.push(await fn());
      return out;
    };
    const latencyCase = (p: number): BenchCase => ({
      name: `submit → released, ${rows.toLocaleString('en-US')} rows, p${p * 100} (ms, lower is better)`,
      unit: 'ms',
      baselineName: "the worker's part alone (claim → complete)",
      run: async () => percentile(await latencies(endToEnd)(), p),
      baseline: async () => percentile(await latencies(workerOnly)(), p),
    });

    const QUEUED = Math.max(6, Math.round(16 * Math.min(1, options.scale * 4)));
    const drain = async (active: JobWorker[]): Promise<number> => {
      for (let i = 0; i < QUEUED; i++) await queueJob(database, licence, JOB);
      const started = performance.now();
      let done = 0;
      await Promise.all(active.map(async (w) => {
        while (await w.runOnce()) done++;
      }));
      if (done !== QUEUED) throw new Error(`ran ${done} of ${QUEUED} jobs`);
      return (done / (performance.now() - started)) * 60_000;
    };
    const twoWorkers: BenchCase = {
      name: `jobs per minute, two workers, ${QUEUED} queued jobs on ${rows.toLocaleString('en-US')} rows`,
      unit: 'jobs/min',
      baselineName: 'one worker, same jobs',
      run: () => drain(workers),
      baseline: () => drain(workers.slice(0, 1)),
    };

    // (d) confinement on a realistic job: a licence with the three fields, workers without the slot
    const incomeRows = Math.max(10_000, Math.round(100_000 * options.scale));
    const incomeGw = await createTestGateway();
    const incomeOp = await createTestOperator(incomeGw, await incomeGw.login('security', PASSWORDS.security));
    options.progress(`sandbox: loading ${incomeRows.toLocaleString('en-US')} population rows for the confinement case`);
    await loadDataset(incomeGw.services.database, { code: 'population', format: 'csv', body: generatedCsv('population', incomeRows, 'bench-confinement'), loadedBy: 'bench' });
    const incomeLicence = { operatorId: incomeOp.id, licenseId: incomeOp.licenseId };
    const incomePool = createIsolatePool({ size: 2 });
    const base = { database: incomeGw.services.database, pool: incomePool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: 'none' as const };
    const checked = createWorker(base);
    const unchecked = createWorker({ ...base, confinement: { checkPartitions: 0 } });
    const INCOME = {
      datasets: [{ code: 'population', fields: ['region_code', 'birth_date', 'annual_income'] }],
      code: await readFile(new URL('../../examples/income-by-district.js', import.meta.url), 'utf8'),
      params: { bands: [18, 30, 45, 60] },
      outputs: [
        { name: 'n', kind: 'count', by: ['age_band'], domain: { age_band: ['18-29', '30-44', '45-59', '60+'] } },
        { name: 'mean_income', kind: 'mean', measure: 'income', by: ['age_band'], bounds: { lo: 0, hi: 500_000 }, domain: { age_band: ['18-29', '30-44', '45-59', '60+'] } },
      ],
    };
    const runIncome = async (w: JobWorker): Promise<number> => {
      await queueJob(incomeGw.services.database, incomeLicence, INCOME);
      const started = performance.now();
      if (!(await w.runOnce())) throw new Error('the worker found no job');
      return performance.now() - started;
    };
    await runIncome(checked);
    await runIncome(unchecked);
    const confinementCase: BenchCase = {
      name: `worker's part of an income-by-age-band job, ${incomeRows.toLocaleString('en-US')} rows, confined (ms, lower is better)`,
      unit: 'ms',
      baselineName: 'the same job, one run, no check partitions',
      run: () => runIncome(checked),
      baseline: () => runIncome(unchecked),
    };

    const execution = await sandboxExecutionGroup.setup(options);
    return {
      cases: [latencyCase(0.5), latencyCase(0.95), execution.cases[0]!, twoWorkers, confinementCase],
      async cleanup() {
        await execution.cleanup();
        for (const pool of pools) await pool.close();
        await incomePool.close();
        await gw.close();
        await incomeGw.close();
      },
    };
  },
};
