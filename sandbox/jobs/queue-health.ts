// Is anyone going to run the queued jobs? Workers keep a row in job_workers fresh while they live; a job queued for
// STALE_AFTER_MS or longer while no worker is alive is waiting for nobody. The operator's job view says so
// (`waiting`), and security staff get one alert per such episode: a deployment whose workers are down must not look
// like a slow queue.
import { and, asc, eq, gte, lte, max, sql } from 'drizzle-orm';
import { hostname } from 'node:os';
import type { Database, Db } from '../../store/index.ts';
import { alerts } from '../alerts/schema.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { jobs, jobWorkers } from './schema.ts';

/** How often a worker refreshes its row, and how old a row may be for the worker to count as alive. */
export const WORKER_HEARTBEAT_MS = 10_000;
export const WORKER_LIVE_MS = 30_000;
/** A queued job this old with no live worker is waiting for nobody. */
export const STALE_AFTER_MS = 60_000;

/** Why a queued job is not running, in the job view. Stable: `reason` is a code, `since` an ISO time. */
export interface Waiting {
  reason: 'no-live-worker';
  /** the later of the job's queueing and the last heartbeat of any worker: how long nobody could have run it */
  since: string;
}

const liveSince = sql`now() - ${WORKER_LIVE_MS} * interval '1 millisecond'`;
const staleBefore = sql`now() - ${STALE_AFTER_MS} * interval '1 millisecond'`;

/** The last heartbeat of any worker and whether it is recent enough for that worker to be alive. */
async function workerPulse(db: Db): Promise<{ alive: boolean; last: Date | null }> {
  const [row] = await db.select({ last: max(jobWorkers.heartbeatAt), alive: sql<boolean>`coalesce(max(${jobWorkers.heartbeatAt}) > ${liveSince}, false)` }).from(jobWorkers);
  return { alive: Boolean(row?.alive), last: row?.last ? new Date(row.last) : null };
}

/** For a queued job: `waiting` when it has been queued STALE_AFTER_MS or longer and no worker is alive, else null. */
export async function waitingFor(db: Db, job: { id: string; status: string }): Promise<Waiting | null> {
  if (job.status !== 'queued') return null;
  const [stale] = await db.select({ createdAt: jobs.createdAt }).from(jobs).where(and(eq(jobs.id, job.id), eq(jobs.status, 'queued'), lte(jobs.createdAt, staleBefore)));
  if (!stale) return null;
  const pulse = await workerPulse(db);
  if (pulse.alive) return null;
  const since = pulse.last && pulse.last > stale.createdAt ? pulse.last : stale.createdAt;
  return { reason: 'no-live-worker', since: since.toISOString() };
}

/**
 * One look at the queue (the gateway runs it every few seconds): when jobs have waited STALE_AFTER_MS or longer and
 * no worker is alive, raises a `no-workers` alert — once per episode: not again while an alert of that kind raised
 * after the oldest waiting job was queued exists. Returns the alert's id when it raised one.
 */
export async function checkQueueHealth(database: Database): Promise<string | null> {
  await forgetDeadWorkers(database);
  return database.db.transaction(async (tx) => {
    // gateways may run this at once: one at a time decides
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gdp_queue_health'))`);
    const [oldest] = await tx.select({ id: jobs.id, createdAt: jobs.createdAt }).from(jobs).where(and(eq(jobs.status, 'queued'), lte(jobs.createdAt, staleBefore))).orderBy(asc(jobs.createdAt)).limit(1);
    if (!oldest) return null;
    const pulse = await workerPulse(tx);
    if (pulse.alive) return null;
    const episode = pulse.last && pulse.last > oldest.createdAt ? pulse.last : oldest.createdAt;
    const [already] = await tx.select({ id: alerts.id }).from(alerts).where(and(eq(alerts.kind, 'no-workers'), gte(alerts.createdAt, episode))).limit(1);
    if (already) return null;
    const [waiting] = await tx.select({ n: sql<number>`count(*)::int` }).from(jobs).where(and(eq(jobs.status, 'queued'), lte(jobs.createdAt, staleBefore)));
    const raised = await raiseAlert(tx, {
      kind: 'no-workers',
      severity: 'high',
      jobId: oldest.id,
      summary: 'jobs are queued and no job worker is alive',
      details: { waitingJobs: Number(waiting?.n ?? 0), lastWorkerHeartbeat: pulse.last?.toISOString() ?? null, staleAfterSeconds: STALE_AFTER_MS / 1000 },
    });
    return raised.id;
  });
}

/** A worker's row: created or refreshed. */
export async function workerAlive(database: Database, workerId: string): Promise<void> {
  await database.db
    .insert(jobWorkers)
    .values({ id: workerId, host: hostname() })
    .onConflictDoUpdate({ target: jobWorkers.id, set: { heartbeatAt: sql`now()` } });
}

/** A worker stopping: its row goes. */
export async function workerGone(database: Database, workerId: string): Promise<void> {
  await database.db.delete(jobWorkers).where(eq(jobWorkers.id, workerId));
}

/** Forgets workers silent for a day (killed without stopping); the newest row is kept as the last sign of life. */
export async function forgetDeadWorkers(database: Database): Promise<void> {
  const [newest] = await database.db.select({ id: jobWorkers.id }).from(jobWorkers).orderBy(sql`${jobWorkers.heartbeatAt} desc`).limit(1);
  if (!newest) return;
  await database.db.delete(jobWorkers).where(and(sql`${jobWorkers.heartbeatAt} < now() - interval '1 day'`, sql`${jobWorkers.id} <> ${newest.id}`));
}
