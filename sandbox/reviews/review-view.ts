// How a job awaiting review is shown to a steward. Wire format of GET /steward/reviews: add fields, never rename.
import type { jobs } from '../jobs/schema.ts';

export interface ReviewView {
  jobId: string;
  operatorId: string;
  licenseId: string;
  datasets: { code: string; fields: string[] }[];
  departments: string[];
  codeSha256: string;
  /** the operator's model source: what computed the output under review */
  code: string;
  createdAt: string;
  finishedAt: string | null;
  usage: Record<string, unknown> | null;
  /** the release record: code hashes, data and policy versions, every automatic check and its outcome */
  record: unknown;
  /** the output as the automatic checks left it (suppressed, rounded, noised): what approval releases */
  output: unknown;
  /** false: a release without DP, which two stewards must approve; the operator's stated reason */
  dp: boolean;
  justification: string | null;
  /** stewards who approved so far, and how many approvals release it */
  approvals: { stewardId: string; decidedAt: string }[];
  approvalsNeeded: number;
}

export function toReviewView(
  job: typeof jobs.$inferSelect,
  departments: string[],
  result: { result: unknown; record: unknown },
  approvals: { stewardId: string; decidedAt: string }[],
  approvalsNeeded: number,
): ReviewView {
  const none = job.privacy && 'none' in job.privacy ? job.privacy : null;
  return {
    jobId: job.id,
    operatorId: job.operatorId,
    licenseId: job.licenseId,
    datasets: job.datasets,
    departments,
    codeSha256: job.codeSha256,
    code: job.code,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    usage: job.usage ?? null,
    record: result.record,
    output: result.result,
    dp: none === null,
    justification: none?.justification ?? null,
    approvals,
    approvalsNeeded,
  };
}
