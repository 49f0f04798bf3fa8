// Group `scale` (issue 13): the platform at provincial size, measured as its users meet it — a gateway process started
// as `npm start` starts it, worker processes as `npm run worker`, everything over real HTTP — against PostgreSQL doing
// the same work itself in the same run. `npm run bench -- --only scale --scale 1m,10m` (default 1m; BENCH_DATABASE_URL).
//
// Per size N (PostgreSQL):
//   load     N generated population rows through POST /steward/datasets/population/loads (rows/s) against
//            PostgreSQL's own COPY FROM STDIN of the same CSV file;
//   job      the income-by-age-band job (3 fields, DP), submit → released as the operator sees it, one worker process,
//            against the same aggregate as one GROUP BY, and against a COPY … TO of the 3 columns (the same job runs);
//   read     the job's first stage alone (store/columnar: binary COPY into typed columns) against the same COPY … TO;
//   replay   the job's stages replayed one step at a time in the bench process (scale/job-stages.ts): what the job's
//            own records (started, finished) and spans (job, job.run) cannot tell;
//   memory   the worker process's VmHWM after the N-row jobs against its own VmHWM idle after start.
// At the first size: 2 and 4 worker processes on one PostgreSQL against 1, on a batch of jobs (jobs/min; rows/s);
// and on both databases /healthz p50/p99 while an N-row job and an N-row load run (on the embedded
// default at min(N, 1M)), against the same gateway idle; submit → released p50 on 10,000 rows against the worker's part.
// Cases run in order and later ones use what earlier ones loaded.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { generatedCsv } from '../../data/index.ts';
import { median, type BenchCase, type BenchGroup, type BenchOptions } from '../harness.ts';
import { percentile, probeHealthz } from '../scale/healthz-probe.ts';
import { incomeByAgeBand, jobEndToEnd, loadCsv, submitJob, waitReleased, type ScalePlatform } from '../scale/platform-client.ts';
import { openStageReplay, type StageTimes } from '../scale/job-stages.ts';
import { postgresBaselines } from '../scale/postgres-baselines.ts';
import { sleep } from '../scale/processes.ts';
import { startSession, type Session } from '../scale/session.ts';

const MODEL = await readFile(new URL('../../examples/income-by-district.js', import.meta.url), 'utf8');
const fmtRows = (n: number) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n.toLocaleString('en-US'));

async function writeCsv(file: string, rows: number, seed: string, progress: (m: string) => void): Promise<void> {
  progress(`generating ${fmtRows(rows)} population rows as CSV`);
  const started = performance.now();
  let shown = started;
  let done = 0;
  const source = generatedCsv('population', rows, seed);
  source.on('data', (chunk: Buffer | string) => {
    done += typeof chunk === 'string' ? (chunk.match(/\n/g)?.length ?? 0) : count(chunk);
    if (performance.now() - shown > 5000) {
      shown = performance.now();
      progress(`generated ${fmtRows(Math.min(done, rows))} of ${fmtRows(rows)} rows`);
    }
  });
  await pipeline(source, createWriteStream(file));
  progress(`CSV: ${((await stat(file)).size / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function count(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

interface HealthzSamples {
  idle: number[];
  busy: number[];
  failed: number;
}

/** Runs a job and a load together on `platform`, probing /healthz throughout; before that, 10 s of the idle gateway. */
async function healthzUnderLoad(platform: ScalePlatform, csvFile: string, progress: (m: string) => void): Promise<HealthzSamples> {
  const idleProbe = probeHealthz(platform.base);
  await sleep(10_000);
  const idle = await idleProbe.stop();
  progress('healthz: a job and a load at once');
  const busyProbe = probeHealthz(platform.base);
  const id = await submitJob(platform, await incomeByAgeBand(MODEL, platform.licenseId));
  await Promise.all([waitReleased(platform, id, 250), loadCsv(platform, csvFile, progress)]);
  const busy = await busyProbe.stop();
  const samples = { idle: idle.latencies, busy: busy.latencies, failed: idle.failed + busy.failed };
  progress(`healthz: ${samples.busy.length} probes under load (max ${Math.round(Math.max(...samples.busy))} ms), ${samples.failed} failed`);
  return samples;
}

function healthzCases(label: string, samples: () => Promise<HealthzSamples>): BenchCase[] {
  let measured: Promise<HealthzSamples> | undefined;
  const once = () => (measured ??= samples());
  return [0.5, 0.99].map((p) => ({
    name: `/healthz p${p * 100} while ${label} (ms, lower is better)`,
    unit: 'ms',
    baselineName: 'the same gateway idle (10 s)',
    runs: 1,
    run: async () => percentile((await once()).busy, p),
    baseline: async () => percentile((await once()).idle, p),
  }));
}

function latencyCase(label: string, session: () => Promise<Session>, jobs: number): BenchCase {
  let measured: Promise<{ ms: number[]; workerMs: number[] }> | undefined;
  const once = () =>
    (measured ??= (async () => {
      const { platform } = await session();
      const job = await incomeByAgeBand(MODEL, platform.licenseId);
      await jobEndToEnd(platform, job); // warm-up: isolate processes started, statements prepared
      const runs = [];
      for (let i = 0; i < jobs; i++) runs.push(await jobEndToEnd(platform, job));
      return { ms: runs.map((r) => r.ms), workerMs: runs.map((r) => r.workerMs) };
    })());
  return {
    name: `income job submit → released p50, 10,000 rows, ${label}, ${jobs} jobs (ms, lower is better)`,
    unit: 'ms',
    baselineName: "the worker's part (started → finished, as recorded)",
    runs: 1,
    run: async () => median((await once()).ms),
    baseline: async () => median((await once()).workerMs),
  };
}

function sizeCases(rows: number, csv: string, sessionOf: () => Promise<Session>, options: BenchOptions, closers: (() => Promise<void>)[], withBatches: boolean): BenchCase[] {
  const N = fmtRows(rows);
  const repeats = rows <= 2_000_000 ? 3 : 1;
  let pg: ReturnType<typeof postgresBaselines> | undefined;
  const baselines = () =>
    sessionOf().then((s) => {
      if (!pg) {
        const opened = (pg = postgresBaselines(s.databaseUrl!));
        closers.push(() => opened.close());
      }
      return pg;
    });
  let worker: Awaited<ReturnType<Session['startWorkers']>>[number] | undefined;
  let idlePeak = 0;
  const jobMs: number[] = [];
  const job = async () => (await sessionOf()).platform;
  const batch = rows <= 2_000_000 ? 8 : 4;
  const jobsPerMinute = new Map<number, Promise<number>>();
  const drain = (workers: number) => {
    if (!jobsPerMinute.has(workers)) {
      jobsPerMinute.set(workers, (async () => {
        const session = await sessionOf();
        await worker?.stop();
        worker = undefined;
        options.progress(`${N}: ${batch} jobs on ${workers} worker process(es)`);
        const pool = await session.startWorkers(workers);
        try {
          const spec = await incomeByAgeBand(MODEL, session.platform.licenseId);
          const started = performance.now();
          const ids = [];
          for (let i = 0; i < batch; i++) ids.push(await submitJob(session.platform, spec));
          for (const id of ids) await waitReleased(session.platform, id, 250);
          return (batch / (performance.now() - started)) * 60_000;
        } finally {
          for (const w of pool) await w.stop();
        }
      })());
    }
    return jobsPerMinute.get(workers)!;
  };
  const cases: BenchCase[] = [
    {
      name: `load ${N} population rows via POST …/loads`,
      unit: 'rows/s',
      baselineName: 'PostgreSQL COPY FROM STDIN of the same CSV',
      runs: 1,
      async run() {
        const { rowCount, seconds } = await loadCsv(await job(), csv, options.progress);
        if (rowCount !== rows) throw new Error(`loaded ${rowCount} rows of ${rows}`);
        return rows / seconds;
      },
      baseline: async () => rows / (await (await baselines()).copyIn(csv)),
    },
    {
      name: `income job ${N} rows, submit → released, 1 worker (s, lower is better)`,
      unit: 's',
      baselineName: 'PostgreSQL GROUP BY of the same aggregate',
      runs: repeats,
      async run() {
        if (!worker) {
          [worker] = await (await sessionOf()).startWorkers(1);
          idlePeak = (await worker!.memory()).workerPeakMb;
        }
        const platform = await job();
        const { ms } = await jobEndToEnd(platform, await incomeByAgeBand(MODEL, platform.licenseId));
        jobMs.push(ms);
        return ms / 1000;
      },
      baseline: async () => (await baselines()).groupBy(),
    },
    {
      name: `  the same job runs (s, lower is better)`,
      unit: 's',
      baselineName: 'COPY … TO STDOUT (binary) of the 3 columns',
      runs: repeats,
      run: async () => jobMs.shift()! / 1000,
      baseline: async () => (await baselines()).copyOut(),
    },
    {
      name: `  of which: columnar read, ${N} rows × 3 fields + person id (s)`,
      unit: 's',
      baselineName: 'COPY … TO STDOUT (binary) of the 3 columns',
      runs: repeats,
      run: async () => (await (await baselines()).columnarRead()).seconds,
      baseline: async () => (await baselines()).copyOut(),
    },
    ...stageCases(N, repeats, async () => {
      const s = await sessionOf();
      const replay = await openStageReplay(s.databaseUrl!, await incomeByAgeBand(MODEL, s.platform.licenseId));
      try {
        const times: StageTimes[] = [];
        for (let i = 0; i < repeats; i++) times.push(await replay.measure(async () => (await (await baselines()).columnarRead()).seconds));
        return times;
      } finally {
        await replay.close();
      }
    }),
    {
      name: `worker process peak RSS (VmHWM) after ${N}-row jobs (MB)`,
      unit: 'MB',
      baselineName: 'the same worker idle after start',
      runs: 1,
      run: async () => (await worker!.memory()).workerPeakMb,
      baseline: async () => idlePeak,
    },
    {
      name: `  its isolate processes' peak RSS (MB)`,
      unit: 'MB',
      baselineName: 'the worker process itself',
      runs: 1,
      run: async () => (await worker!.memory()).isolatePeakMb,
      baseline: async () => (await worker!.memory()).workerPeakMb,
    },
  ];
  if (!withBatches) return cases;
  for (const n of [2, 4]) {
    cases.push({
      name: `jobs/min, ${n} worker processes, ${batch} jobs × ${N} rows`,
      unit: 'jobs/min',
      baselineName: '1 worker process, same batch',
      runs: 1,
      run: () => drain(n),
      baseline: () => drain(1),
    });
  }
  cases.push({
    name: `rows/s through jobs, 4 worker processes, ${N} rows`,
    unit: 'rows/s',
    baselineName: '1 worker process',
    runs: 1,
    run: async () => ((await drain(4)) * rows) / 60,
    baseline: async () => ((await drain(1)) * rows) / 60,
  });
  return cases;
}

/** The job's stages replayed one step at a time (scale/job-stages.ts), each against the step before. */
function stageCases(N: string, repeats: number, measure: () => Promise<StageTimes[]>): BenchCase[] {
  let measured: Promise<StageTimes[]> | undefined;
  const at = (i: number) => (measured ??= measure()).then((t) => t[i % t.length]!);
  const step = (name: string, baselineName: string, value: (t: StageTimes) => number, base: (t: StageTimes) => number): BenchCase => {
    let i = 0;
    let j = 0;
    return { name, unit: 's', baselineName, runs: repeats, run: async () => value(await at(i++)), baseline: async () => base(await at(j++)) };
  };
  return [
    step(`  replayed: + masks (${N} rows)`, 'the columnar read, same replay', (t) => t.masked, (t) => t.read),
    step('  replayed: + map and reduce (isolates, no check partitions)', 'read + masks', (t) => t.mapped, (t) => t.masked),
    step("  replayed: + confinement's check partitions (as a job runs)", 'the same, no check partitions', (t) => t.confined, (t) => t.mapped),
    step('  replayed: DP release (noise) of that reduction', 'the confined run', (t) => t.release, (t) => t.confined),
  ];
}

export const scaleGroup: BenchGroup = {
  name: 'scale',
  async setup(options) {
    const sizes = options.sizes ?? [Math.max(10_000, Math.round(1_000_000 * options.scale))];
    const dir = await mkdtemp(join(tmpdir(), 'bench-scale-'));
    const sessions: Session[] = [];
    const open = (kind: 'postgres' | 'embedded') => {
      let s: Promise<Session> | undefined;
      return () =>
        (s ??= startSession(kind, dir, options.postgresUrl).then((session) => {
          sessions.push(session);
          return session;
        }));
    };
    const cases: BenchCase[] = [];
    const closers: (() => Promise<void>)[] = [];
    const first = sizes[0]!;
    const firstCsv = join(dir, `population-${first}-b.csv`);
    const embeddedRows = Math.min(first, 1_000_000);
    const embeddedCsv = join(dir, `population-${embeddedRows}-e.csv`);

    if (options.postgresUrl) {
      for (const rows of sizes) {
        const csv = join(dir, `population-${rows}.csv`);
        await writeCsv(csv, rows, `scale-${rows}`, options.progress);
        cases.push(...sizeCases(rows, csv, open('postgres'), options, closers, rows === sizes[0]));
      }
      // /healthz on PostgreSQL: a fresh gateway, its version loaded, then a job on it and a second load at once
      await writeCsv(firstCsv, first, `scale-${first}-b`, options.progress);
      const pgHealth = open('postgres');
      cases.push(
        ...healthzCases(`a ${fmtRows(first)}-row job and a ${fmtRows(first)}-row load run, PostgreSQL`, async () => {
          const session = await pgHealth();
          await loadCsv(session.platform, firstCsv, options.progress);
          await session.startWorkers(1);
          return healthzUnderLoad(session.platform, firstCsv, options.progress);
        }),
      );
      const pgSmall = open('postgres');
      let pgSmallReady = false;
      cases.push(
        latencyCase('PostgreSQL', async () => {
          const session = await pgSmall();
          if (!pgSmallReady) {
            await smallLoad(session, dir, options);
            await session.startWorkers(1);
            pgSmallReady = true;
          }
          return session;
        }, 15),
      );
    } else {
      options.progress('BENCH_DATABASE_URL not set: only the embedded cases of the scale group run');
    }

    // the embedded default: the gateway exactly as `npm start` runs it, with whatever worker it starts itself
    await writeCsv(embeddedCsv, embeddedRows, `scale-${embeddedRows}-e`, options.progress);
    const embedded = open('embedded');
    cases.push(
      ...healthzCases(`a ${fmtRows(embeddedRows)}-row job and a ${fmtRows(embeddedRows)}-row load run, embedded`, async () => {
        const session = await embedded();
        await loadCsv(session.platform, embeddedCsv, options.progress);
        return healthzUnderLoad(session.platform, embeddedCsv, options.progress);
      }),
    );
    const embeddedSmall = open('embedded');
    let smallLoaded = false;
    cases.push(
      latencyCase('embedded', async () => {
        const session = await embeddedSmall();
        if (!smallLoaded) await smallLoad(session, dir, options);
        smallLoaded = true;
        return session;
      }, 15),
    );
    return {
      cases,
      async cleanup() {
        for (const close of closers) await close();
        for (const s of sessions) await s.close().catch((err: unknown) => options.progress(`cleanup: ${(err as Error).message}`));
        // BENCH_KEEP_DIR=1 keeps the logs of the gateway and workers (and the CSV files) for a look after a failure
        if (process.env.BENCH_KEEP_DIR) options.progress(`kept ${dir}`);
        else await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

async function smallLoad(session: Session, dir: string, options: BenchOptions): Promise<void> {
  const csv = join(dir, `population-10000-${session.kind}.csv`);
  await writeCsv(csv, 10_000, 'scale-10k', options.progress);
  await loadCsv(session.platform, csv);
}
