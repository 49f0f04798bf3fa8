// The database-derived gauges of /metrics: jobs waiting, running or in review, the oldest queued job's age, the privacy
// budget spent per dataset (zCDP ρ, which adds up, and its ε at the budget's δ). Cheap by construction: the
// non-final statuses are served by jobs_queue_idx; the licence ledger is small.
import { sql } from 'drizzle-orm';
import { epsilonFromRho } from '../../sandbox/dp/index.ts';
import type { Db } from '../../store/index.ts';
import type { PlatformFigures } from '../../telemetry/index.ts';

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];

export async function readPlatformFigures(db: Db): Promise<PlatformFigures> {
  const [jobs, ledger] = await Promise.all([
    db.execute(sql`
      SELECT status, count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest
      FROM jobs WHERE status IN ('queued', 'running', 'review') GROUP BY status`),
    db.execute(sql`SELECT dataset, sum(rho_spent_nano)::float8 / 1e9 AS rho FROM budget_ledger GROUP BY dataset`),
  ]);
  const figures: PlatformFigures = { jobsByStatus: {}, oldestQueuedSeconds: 0, rhoSpentByDataset: {}, epsilonSpentByDataset: {} };
  for (const row of rowsOf<{ status: string; n: number; oldest: number }>(jobs)) {
    figures.jobsByStatus[row.status] = Number(row.n);
    if (row.status === 'queued') figures.oldestQueuedSeconds = Math.max(0, Number(row.oldest));
  }
  for (const row of rowsOf<{ dataset: string; rho: number }>(ledger)) {
    const rho = Math.max(0, Number(row.rho));
    figures.rhoSpentByDataset[row.dataset] = rho;
    figures.epsilonSpentByDataset[row.dataset] = epsilonFromRho(rho);
  }
  return figures;
}
