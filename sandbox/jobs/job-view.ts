// How a job is shown to its operator. Wire format of GET /operator/jobs[/{id}] (API.md): add fields, never rename.
import type { Waiting } from './queue-health.ts';
import type { jobs, JobStatus } from './schema.ts';

export interface JobView {
  id: string;
  status: JobStatus;
  licenseId: string;
  datasets: { code: string; fields: string[] }[];
  /** data-free: a stable code and fixed text */
  error?: { code: string; reason: string };
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** a real run: only its time slot (fixed from public facts); a dry run: the sandbox's figures on synthetic rows */
  usage: Record<string, unknown> | null;
  /** DP or not, and the ε the job was charged (at δ = 1e-8) */
  privacy: { dp: boolean; epsilon: number | null };
  dryRun: boolean;
  /** only on a queued job nobody can run now (queue-health.ts): why, and since when */
  waiting?: Waiting;
}

export function toJobView(row: typeof jobs.$inferSelect): JobView {
  return {
    id: row.id,
    status: row.status,
    licenseId: row.licenseId,
    datasets: row.datasets,
    ...(row.errorCode ? { error: { code: row.errorCode, reason: row.errorReason ?? '' } } : {}),
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    usage: row.usage ?? null,
    privacy: row.privacy && 'none' in row.privacy ? { dp: false, epsilon: null } : { dp: true, epsilon: row.dryRun ? null : (row.privacy?.epsilon ?? null) },
    dryRun: row.dryRun,
  };
}
