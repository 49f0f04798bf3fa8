// Many workers on one PostgreSQL, as the separate processes `npm run worker` starts: a dozen jobs queued at once are
// each run and released exactly once, and every worker takes a share. (PostgreSQL only: TEST_DATABASE_URL.)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../store/index.ts';
import { jobResults, jobs, jobWorkers } from './schema.ts';
import { queueJob, seedLicence, seedPopulation } from './testing.ts';
import { notifyWorkers } from './wake.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKERS = 3;
const JOBS = 12;
const COUNT_BY_SEX = 'export function map(columns) { return { keys: { sex: columns.sex } }; }';
const OUTPUTS = [{ name: 'n', kind: 'count', by: ['sex'], domain: { sex: ['男', '女'] } }];

let t: TestDatabase;
const workers: { process: ChildProcess; output: string }[] = [];

describe.skipIf(testDatabaseKind() !== 'postgres')('three worker processes on one PostgreSQL', () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedPopulation(t.database, 300);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DATABASE_URL: t.url!,
      PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      WORKER_ISOLATES: '1',
      // every real run holds its slot: while one worker holds a job the others claim the next ones
      JOB_SLOT_BASE_MS: '400',
      JOB_SLOT_PER_MILLION_CELLS_MS: '0',
    };
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/worker.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const worker = { process: child, output: '' };
      child.stdout!.on('data', (c: Buffer) => (worker.output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (worker.output += c.toString()));
      workers.push(worker);
    }
    // all three alive (their rows in job_workers) before any job is queued
    await vi.waitFor(async () => expect(await t.database.db.select().from(jobWorkers)).toHaveLength(WORKERS), { timeout: 90_000, interval: 200 });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((done) => {
            if (w.process.exitCode !== null) return done();
            w.process.once('exit', () => done());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await t?.drop();
  }, 60_000);

  it('releases a dozen jobs exactly once each, shared among the workers', async () => {
    const licence = await seedLicence(t.database, { maxJobsPerDay: 100, epsilon: 50 });
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push(await queueJob(t.database, licence, { code: COUNT_BY_SEX, outputs: OUTPUTS }));
    // one wake-up for the lot, as submitJob sends one per job
    await t.database.db.transaction((tx) => notifyWorkers(tx));
    await vi.waitFor(
      async () => {
        const rows = await t.database.db.select({ status: jobs.status }).from(jobs).where(inArray(jobs.id, ids));
        expect(rows.map((r) => r.status)).toEqual(Array(JOBS).fill('succeeded'));
      },
      { timeout: 120_000, interval: 200 },
    );
    const rows = await t.database.db.select().from(jobs).where(inArray(jobs.id, ids));
    expect(rows.every((r) => r.attempts === 1 && r.leaseOwner === null)).toBe(true);
    for (const id of ids) expect(await t.database.db.select({ id: jobResults.jobId }).from(jobResults).where(eq(jobResults.jobId, id))).toHaveLength(1);
    const audit = await t.database.sql.query<{ resource: string }>(`select resource from audit_log where action = 'job.succeeded' and resource = any($1)`, [ids.map((id) => `job:${id}`)]);
    expect(audit.map((a) => a.resource).sort()).toEqual(ids.map((id) => `job:${id}`).sort());
    // each worker says which jobs it ran: together every job once, and each ran some
    const ran = workers.map((w) =>
      w.output
        .split('\n')
        .filter((l) => l.includes('"job ran"'))
        .map((l) => (JSON.parse(l) as { job: string }).job),
    );
    expect(ran.flat().sort()).toEqual([...ids].sort());
    for (const share of ran) expect(share.length).toBeGreaterThan(0);
  }, 180_000);
});
