// The pipeline of one claimed job, inside the trust boundary of docs/ARCHITECTURE.md: a dry run on synthetic rows, or a
// real run (real-run.ts) whose end is held to a fixed time slot, then the completion — exactly once.
import { eq } from 'drizzle-orm';
import type { PolicySet } from '../../policies/index.ts';
import { getDataset, licenses, type Database } from '../../store/index.ts';
import type { ConfinementOptions } from '../confinement/index.ts';
import type { RandomSource } from '../dp/index.ts';
import type { IsolatePool } from '../execution/index.ts';
import type { JobRow } from './claim-job.ts';
import { completeJob, type JobOutcome } from './complete-job.ts';
import { evaluateDryRun } from './dry-run.ts';
import { heartbeat } from './heartbeat.ts';
import { evaluateReal } from './real-run.ts';
import { paddedMs, slotMs, type SlotOptions } from './slot.ts';

export interface RunJobOptions {
  database: Database;
  pool: IsolatePool;
  policies: PolicySet;
  /** the platform's pseudonym master secret; each licence gets its own key from it (pseudonyms link within a licence only) */
  pseudonymSecret: Uint8Array;
  workerId: string;
  leaseMs: number;
  /** the fixed time of a real run (slot.ts); 'none' only for benchmarks measuring the work itself */
  slot?: SlotOptions | 'none';
  /** tests: seeded partitions */
  confinement?: ConfinementOptions;
  /**
   * Queue the isolate runs of a job larger than one main shard for every worker of the database (shard-runs.ts), on
   * PostgreSQL. Off by default: on one machine it costs time and memory (each shard's columns go through the
   * database); it pays when workers on other machines are idle while one holds a large job.
   */
  shareShardRuns?: boolean;
  /** tests: seeded DP noise (never in production: whoever knows the seed can subtract the noise) */
  rng?: RandomSource;
}

const DAY_MS = 86_400_000;

/** What the job ended as. Never throws for anything the job did; platform failures (database down) do throw. */
export async function runJob(job: JobRow, options: RunJobOptions): Promise<{ completed: boolean; status: JobOutcome['status'] }> {
  const { database, workerId, leaseMs } = options;
  const started = performance.now();
  // the heartbeat keeps the lease while the model runs and while the slot is held; a lost lease makes completeJob refuse
  const beat = setInterval(() => void heartbeat(database, job.id, workerId, leaseMs).catch(() => {}), Math.max(10, Math.floor(leaseMs / 3)));
  try {
    // the slot (public facts: the version's row count) is looked up while the run starts
    const [slot, outcome] = await Promise.all([job.dryRun || options.slot === 'none' ? null : slotOf(job, options), evaluate(job, options)]);
    let shownMs: number | null = null;
    if (slot !== null) {
      // the worker holds the job until its slot ends: neither this job's end nor the next job's start tells the time
      shownMs = paddedMs(performance.now() - started, slot);
      const wait = started + shownMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return { completed: await completeJob(database, job.id, workerId, outcome, { slotMs: shownMs }), status: outcome.status };
  } finally {
    clearInterval(beat);
  }
}

/** The slot of a real run from public facts: the current version's row count and the licensed fields. */
async function slotOf(job: JobRow, options: RunJobOptions): Promise<number> {
  const [grant] = job.datasets;
  const dataset = grant ? await getDataset(options.database.db, grant.code).catch(() => undefined) : undefined;
  return slotMs(dataset?.currentVersion?.rowCount ?? 0, grant?.fields.length ?? 1, options.slot === 'none' ? undefined : options.slot);
}

const failed = (errorCode: string, reason: string): JobOutcome => ({ status: 'failed', errorCode, reason, refund: true });

async function evaluate(job: JobRow, options: RunJobOptions): Promise<JobOutcome> {
  const [grant] = job.datasets;
  if (!grant || job.datasets.length !== 1) return failed('UNSUPPORTED', 'a job reads exactly one dataset for now');
  const [licence] = await options.database.db.select().from(licenses).where(eq(licenses.id, job.licenseId));
  // the licence is checked again at run time: it may have been revoked or expired since submission
  const now = new Date();
  if (!licence || licence.status !== 'active' || now < licence.validFrom || now >= licence.validTo) return failed('LICENSE_INACTIVE', 'the licence is no longer valid');
  const asOfMs = Math.floor(job.createdAt.getTime() / DAY_MS) * DAY_MS;
  // a dry run reads no real row: synthetic data, unchecked output, nothing charged (dry-run.ts)
  if (job.dryRun) return evaluateDryRun(job, licence, grant, asOfMs, options);
  return evaluateReal(job, licence, grant, asOfMs, options);
}
