// Verifying the whole log: the hash chain end to end, then against a checkpoint (exported, or the latest stored).
import { count } from 'drizzle-orm';
import type { Database, Db } from '../database.ts';
import { auditLogId, latestCheckpoint, verifyCheckpointSignature } from './checkpoints.ts';
import { scanChain, type AuditInvalidReason } from './scan-chain.ts';
import { auditLog } from './schema.ts';
import { GENESIS_HASH, type AuditCheckpoint } from './types.ts';

/** The checkpoint verification used, and what it found. */
export interface CheckedCheckpoint extends AuditCheckpoint {
  /** `given`: passed in (an exported copy kept outside the database); `stored`: the latest in the database */
  source: 'given' | 'stored';
  signatureValid: boolean;
  /** the log still holds `size` entries and the entry at `size` still has `headHash` */
  matches: boolean;
}

/** The answer of `GET /security/audit/verify` and `npm run audit:verify` (wire format, API.md). */
export interface AuditVerification {
  valid: boolean;
  /** entries in the log */
  entries: number;
  /** the first entry that is missing, altered, inserted or out of place; null when none is */
  firstInvalidSeq: number | null;
  checkpoint: CheckedCheckpoint | null;
  /** why the log is invalid; null when it is valid */
  reason: AuditInvalidReason | null;
}

export interface VerifyAuditOptions {
  /** an exported checkpoint to check against; without it the latest stored checkpoint is used, if any */
  checkpoint?: AuditCheckpoint | undefined;
  /**
   * the platform's checkpoint public key (04‖x‖y hex). Someone able to truncate the log could also store a
   * checkpoint signed with a key of their own; naming the trusted key makes verification refuse it.
   */
  trustedPublicKey?: string | undefined;
  /** entries read per query (default 5,000): memory stays constant however long the log */
  batchSize?: number | undefined;
}

async function countEntries(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog);
  return Number(row?.n ?? 0);
}

/**
 * Recomputes the chain from entry 1 and reports the first broken entry: an edited entry (its hash no longer
 * matches), a deleted one (a gap: the missing seq), an inserted or reordered one (prevHash or seq out of place).
 * Then checks a checkpoint, which is what detects truncation of the tail or a wholesale rewrite: fewer entries than
 * the checkpoint's size (the first missing seq is reported), or a different hash at that size.
 * Does not throw for a broken log; throws only when the database cannot be read.
 */
export async function verifyAudit(database: Database, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const { db } = database;
  const given = options.checkpoint;
  const stored = given ? null : await latestCheckpoint(db);
  const checkpoint = given ?? stored;
  const scan = await scanChain(
    db,
    { afterSeq: 0, prevHash: GENESIS_HASH },
    { pins: checkpoint ? [checkpoint.size] : [], batchSize: options.batchSize },
  );
  let firstInvalidSeq = scan.firstInvalidSeq;
  let reason = scan.reason;
  if (!checkpoint) {
    const entries = firstInvalidSeq === null ? scan.count : await countEntries(db);
    return { valid: firstInvalidSeq === null, entries, firstInvalidSeq, checkpoint: null, reason };
  }

  const signatureValid = verifyCheckpointSignature(checkpoint);
  const chainIntactToSize = scan.firstInvalidSeq === null || scan.firstInvalidSeq > checkpoint.size;
  const hashAtSize = checkpoint.size === 0 ? GENESIS_HASH : scan.pinned.get(checkpoint.size);
  const matches = chainIntactToSize && hashAtSize === checkpoint.headHash;
  const checkpointProblem: AuditInvalidReason | null = !signatureValid
    ? 'checkpoint-signature'
    : options.trustedPublicKey !== undefined && options.trustedPublicKey.toLowerCase() !== checkpoint.publicKey
      ? 'checkpoint-key'
      : checkpoint.logId !== (await auditLogId(db))
        ? 'checkpoint-log'
        : null;

  if (firstInvalidSeq === null && !matches) {
    // the chain is whole but shorter than the checkpoint (truncated), or rewritten up to it
    const truncated = scan.lastSeq < checkpoint.size;
    firstInvalidSeq = truncated ? scan.lastSeq + 1 : checkpoint.size;
    reason = truncated ? 'truncated' : 'checkpoint-mismatch';
  }
  reason ??= checkpointProblem;
  return {
    valid: firstInvalidSeq === null && checkpointProblem === null,
    entries: scan.firstInvalidSeq === null ? scan.count : await countEntries(db),
    firstInvalidSeq,
    checkpoint: { ...checkpoint, source: given ? 'given' : 'stored', signatureValid, matches },
    reason,
  };
}
