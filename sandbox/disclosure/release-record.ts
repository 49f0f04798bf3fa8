// The release record: what was released, from which code, data and policies, and which checks it passed. Pure data
// (hashing is deterministic); the store keeps it beside the release and the audit log.

import { createHash } from 'node:crypto';

export interface CheckOutcome {
  readonly check: CheckName;
  /** pass: nothing to do; applied: the check changed the result; fail: the release is refused; not_applicable */
  readonly outcome: 'pass' | 'applied' | 'fail' | 'not_applicable';
  /** counts and names only, never a data value: the report goes to the operator and the audit log */
  readonly details: Readonly<Record<string, unknown>>;
}

export type CheckName =
  | 'size_gate'
  | 'aggregate_kinds'
  | 'dp_preconditions'
  | 'dp_budget'
  | 'small_cells'
  | 'dominance'
  | 'differencing'
  | 'secondary_suppression'
  | 'dp_noise'
  | 'partition_selection'
  | 'row_locality'
  | 'rounding'
  | 'model_checks'
  | 'human_review';

/** Storage format of a release record (JSON), relied on by the store and by auditors. */
export interface ReleaseRecord {
  readonly jobId: string;
  readonly operator: string;
  /** hex digests of the operator's code as submitted */
  readonly codeHash: { readonly sha256: string; readonly sm3: string };
  /** data version per dataset */
  readonly dataVersions: Readonly<Record<string, string>>;
  readonly policyVersion: string;
  readonly outcome: 'release' | 'review' | 'refuse';
  readonly epsilonSpent: number;
  readonly checks: readonly CheckOutcome[];
  /** ISO 8601, from the caller (this builder reads no clock) */
  readonly createdAt: string;
}

export interface ReleaseRecordInput {
  readonly jobId: string;
  readonly operator: string;
  readonly code: string | Uint8Array;
  readonly dataVersions: Readonly<Record<string, string>>;
  readonly policyVersion: string;
  readonly check: { readonly outcome: ReleaseRecord['outcome']; readonly report: readonly CheckOutcome[]; readonly epsilonSpent: number };
  readonly createdAt: string;
}

/** Builds the record; the code is hashed with SHA-256 and SM3 (node:crypto, OpenSSL). */
export function releaseRecord(input: ReleaseRecordInput): ReleaseRecord {
  const digest = (algorithm: string): string => createHash(algorithm).update(input.code).digest('hex');
  return {
    jobId: input.jobId,
    operator: input.operator,
    codeHash: { sha256: digest('sha256'), sm3: digest('sm3') },
    dataVersions: { ...input.dataVersions },
    policyVersion: input.policyVersion,
    outcome: input.check.outcome,
    epsilonSpent: input.check.epsilonSpent,
    checks: input.check.report,
    createdAt: input.createdAt,
  };
}
