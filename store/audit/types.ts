// The audit entry's shapes. AuditEntry is a wire and storage format (API.md, docs/audit.md): add fields, never rename.

export const AUDIT_OUTCOMES = ['allow', 'deny', 'error', 'ok'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who acted: the same kinds as the actor of a verb's context. */
export const AUDIT_ACTOR_TYPES = ['staff', 'operator', 'public', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

export interface AuditActor {
  type: AuditActorType;
  /** staff or operator id, a job or worker id for `system`; null when unknown (e.g. a refused sign-in) */
  id: string | null;
}

/** What a module records. `seq`, `at` and the hashes are assigned when it is appended. */
export interface AuditEvent {
  actor: AuditActor;
  /** dotted lower-case name, e.g. `auth.token.refused`, `http.request`, `operator.license.created` */
  action: string;
  /** what was acted on, e.g. `dataset:population`, `job:42`, `GET /security/audit` */
  resource?: string | null | undefined;
  outcome: AuditOutcome;
  ip?: string | null | undefined;
  requestId?: string | null | undefined;
  /** value-free context, passed through `safeDetails`: ids, counts, field names, reasons — never a data value */
  details?: Record<string, unknown> | undefined;
}

/** One entry of the log, as stored, listed, exported and hashed. */
export interface AuditEntry {
  seq: number;
  /** ISO 8601 UTC with milliseconds */
  at: string;
  actor: AuditActor;
  action: string;
  resource: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The algorithm of checkpoint signatures: SM2 (GB/T 32918.2, default user id) over SM3. */
export const CHECKPOINT_ALG = 'SM2-SM3';

/**
 * A signed statement "log `logId` had `size` entries, the last with hash `headHash`", to keep outside the database.
 * Wire format (docs/audit.md): the signature covers the RFC 8785 canonical JSON of every other member.
 */
export interface AuditCheckpoint {
  logId: string;
  size: number;
  headHash: string;
  /** ISO 8601 UTC with milliseconds */
  at: string;
  alg: typeof CHECKPOINT_ALG;
  /** SM2 r‖s, hex */
  signature: string;
  /** the signer's public key 04‖x‖y, hex */
  publicKey: string;
}
