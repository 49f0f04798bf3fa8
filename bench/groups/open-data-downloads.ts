// Group `open-data` (downloads part): the masked CSV export of N population rows (1,000,000 at scale 1) through the
// download path (page-range scan on PGlite / cursor on PostgreSQL → open-download masks → CSV writer), in MB/s of
// CSV produced, against the engine's own `COPY (SELECT ...) TO` CSV of the unmasked table in the same run. Peak RSS
// (sampled every 10 ms) and rows/s go to stderr. An in-memory PGlite holds the whole table in the process, so for it
// the figure that shows constant memory is the RSS growth during the export, printed beside the peak.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import { planDownloadVerb, streamDownload, type DownloadPlan } from '../../catalog-open/index.ts';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import type { PolicySet } from '../../policies/index.ts';
import { everyMaskDownloadPolicies, publicDownloadContext } from '../../catalog-open/downloads/testing.ts';
import { createTestDatabase, loadDataset, registerDataset, type Database } from '../../store/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const WHY = 'benchmark only: the population register published masked to measure the download path';

/** Runs `fn` while sampling RSS; returns seconds, peak RSS and RSS at the start (bytes). */
async function sampled(fn: () => Promise<void>): Promise<{ seconds: number; peak: number; start: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds: (performance.now() - t0) / 1000, peak, start };
}

const mb = (bytes: number) => bytes / 1e6;

async function exportCase(
  engine: string,
  database: Database,
  policies: PolicySet,
  rows: number,
  copy: (table: string) => Promise<number>,
  progress: (m: string) => void,
): Promise<BenchCase> {
  const plan: DownloadPlan = await planDownloadVerb(
    publicDownloadContext(database),
    policies,
    { code: 'population', format: 'csv', filters: {} },
    { pseudonymKey: new Uint8Array(32).fill(7), pseudonymKeyId: 'bench', asOf: '2026-01-01' },
  );
  progress(`${engine}: ${plan.columns.length} masked columns from ${plan.scan.table}`);
  return {
    name: `masked CSV export of ${rows.toLocaleString()} population rows (${engine})`,
    unit: 'MB/s',
    baselineName: `${engine} COPY (SELECT *) TO CSV, unmasked`,
    async run() {
      let bytes = 0;
      const s = await sampled(async () => {
        for await (const chunk of streamDownload(database, plan)) bytes += chunk.length;
      });
      progress(
        `${engine} export: ${mb(bytes).toFixed(0)} MB in ${s.seconds.toFixed(2)} s, ${Math.round(rows / s.seconds).toLocaleString()} rows/s, ` +
          `peak RSS ${mb(s.peak).toFixed(0)} MB (+${mb(s.peak - s.start).toFixed(0)} MB during the export)`,
      );
      return mb(bytes) / s.seconds;
    },
    async baseline() {
      let bytes = 0;
      const s = await sampled(async () => {
        bytes = await copy(plan.scan.table);
      });
      progress(`${engine} COPY: ${mb(bytes).toFixed(0)} MB in ${s.seconds.toFixed(2)} s, ${Math.round(rows / s.seconds).toLocaleString()} rows/s`);
      return mb(bytes) / s.seconds;
    },
  };
}

async function loadPopulation(database: Database, csvFile: string): Promise<void> {
  // registered unconditionally open for the benchmark: the real registry keeps it not_open
  await registerDataset(database.db, { ...DATASETS.population.definition, openType: 'unconditional' });
  await loadDataset(database, { code: 'population', format: 'csv', body: createReadStream(csvFile), loadedBy: 'bench', versionsKept: 1 });
}

export const openDataDownloadsGroup: BenchGroup = {
  name: 'open-data',
  async setup(options) {
    const rows = Math.max(10_000, Math.round(1_000_000 * options.scale));
    const dir = await mkdtemp(join(tmpdir(), 'bench-open-data-'));
    const csvFile = join(dir, 'population.csv');
    const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
    options.progress(`writing ${rows.toLocaleString()} population rows as CSV`);
    await pipeline(generatedCsv('population', rows, 'bench'), createWriteStream(csvFile));
    const policies = await everyMaskDownloadPolicies(WHY);
    const cases: BenchCase[] = [];

    const embeddedDb = await createTestDatabase({ adminUrl: undefined });
    cleanups.push(() => embeddedDb.drop());
    options.progress('loading PGlite');
    await loadPopulation(embeddedDb.database, csvFile);
    const pglite = (embeddedDb.database.db as unknown as { $client: PGlite }).$client;
    cases.push(
      await exportCase('PGlite', embeddedDb.database, policies, rows, async (table) => {
        // PGlite's COPY TO writes the whole result into one blob in memory: its fastest path, not a streaming one
        const result = await pglite.query(`COPY (SELECT * FROM ${table}) TO '/dev/blob' WITH (FORMAT csv, HEADER)`);
        return result.blob?.size ?? 0;
      }, options.progress),
    );

    if (options.postgresUrl) {
      const serverDb = await createTestDatabase({ adminUrl: options.postgresUrl });
      cleanups.push(() => serverDb.drop());
      options.progress('loading PostgreSQL');
      await loadPopulation(serverDb.database, csvFile);
      const sql = (serverDb.database.db as unknown as { $client: postgres.Sql }).$client;
      cases.push(
        await exportCase('PostgreSQL', serverDb.database, policies, rows, async (table) => {
          let bytes = 0;
          const readable = await sql.unsafe(`COPY (SELECT * FROM ${table}) TO STDOUT WITH (FORMAT csv, HEADER)`).readable();
          for await (const chunk of readable) bytes += (chunk as Buffer).length;
          return bytes;
        }, options.progress),
      );
    } else {
      options.progress('BENCH_DATABASE_URL not set: skipping the PostgreSQL export case');
    }
    return {
      cases,
      async cleanup() {
        for (const c of cleanups.reverse()) await c();
      },
    };
  },
};
