// Signed checkpoints of the log: created by the platform, exported by staff, checked by verification.
import { desc, eq } from 'drizzle-orm';
import { canonicalJson, sm2Sign, sm2Verify, type Sm2KeyPair } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import type { Database, Db } from '../database.ts';
import { scanChain } from './scan-chain.ts';
import { auditCheckpoints, auditLog, auditLogMeta } from './schema.ts';
import { auditCheckpointSchema } from './schemas.ts';
import { CHECKPOINT_ALG, GENESIS_HASH, type AuditCheckpoint } from './types.ts';

/** The text a checkpoint's signature covers: RFC 8785 canonical JSON of every member but `signature`. */
export function checkpointSigningInput(checkpoint: Omit<AuditCheckpoint, 'signature'>): string {
  const { logId, size, headHash, at, alg, publicKey } = checkpoint;
  return canonicalJson({ logId, size, headHash, at, alg, publicKey });
}

/** True when the checkpoint's signature is valid under the public key it names. Never throws. */
export function verifyCheckpointSignature(checkpoint: AuditCheckpoint): boolean {
  if (checkpoint.alg !== CHECKPOINT_ALG) return false;
  try {
    return sm2Verify(checkpointSigningInput(checkpoint), checkpoint.signature, checkpoint.publicKey);
  } catch {
    return false;
  }
}

/** Parses a checkpoint brought from outside (a file, a request). Throws VALIDATION_FAILED when it is malformed. */
export function parseAuditCheckpoint(input: unknown): AuditCheckpoint {
  const parsed = auditCheckpointSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'not an audit checkpoint', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

/** This log's identity, or null when its row is missing (which verification reports). */
export async function auditLogId(db: Db): Promise<string | null> {
  const [row] = await db.select({ logId: auditLogMeta.logId }).from(auditLogMeta).where(eq(auditLogMeta.id, 1));
  return row?.logId ?? null;
}

type CheckpointRow = typeof auditCheckpoints.$inferSelect;

function checkpointOf(row: CheckpointRow): AuditCheckpoint {
  return {
    logId: row.logId,
    size: Number(row.size),
    headHash: row.headHash,
    at: row.at.toISOString(),
    alg: row.alg as typeof CHECKPOINT_ALG,
    signature: row.signature,
    publicKey: row.publicKey,
  };
}

/** The most recent stored checkpoint, or null. */
export async function latestCheckpoint(db: Db): Promise<AuditCheckpoint | null> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1);
  return row ? checkpointOf(row) : null;
}

/**
 * Signs and stores a checkpoint of the log as it is now, and returns it for export. Before signing it checks the
 * entries added since the previous stored checkpoint (and that one's head), so it never vouches for a broken chain.
 * Where the key lives is the caller's concern (see `loadAuditSigningKey`).
 * Throws AUDIT_CHAIN_BROKEN when that check fails, NOT_READY when the log has no identity row.
 */
export async function createCheckpoint(database: Database, signer: Sm2KeyPair): Promise<AuditCheckpoint> {
  const { db } = database;
  const logId = await auditLogId(db);
  if (logId === null) throw new AppError('NOT_READY', 'the audit log has no identity; run the migrations');
  const previous = await latestCheckpoint(db);
  const start = { afterSeq: 0, prevHash: GENESIS_HASH };
  if (previous && previous.size > 0) {
    const [pinned] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, previous.size));
    if (pinned?.hash !== previous.headHash) {
      throw new AppError('AUDIT_CHAIN_BROKEN', 'the audit log no longer matches its last checkpoint', {
        details: { seq: previous.size },
      });
    }
    start.afterSeq = previous.size;
    start.prevHash = previous.headHash;
  }
  const scan = await scanChain(db, start);
  if (scan.firstInvalidSeq !== null) {
    throw new AppError('AUDIT_CHAIN_BROKEN', 'the audit log is broken; no checkpoint was signed', {
      details: { seq: scan.firstInvalidSeq, reason: scan.reason },
    });
  }
  const unsigned = {
    logId,
    size: scan.lastSeq,
    headHash: scan.lastHash,
    at: new Date().toISOString(),
    alg: CHECKPOINT_ALG,
    publicKey: signer.publicKey,
  } as const;
  const checkpoint: AuditCheckpoint = { ...unsigned, signature: sm2Sign(checkpointSigningInput(unsigned), signer) };
  await db.insert(auditCheckpoints).values({ ...checkpoint, at: new Date(checkpoint.at) });
  return checkpoint;
}
