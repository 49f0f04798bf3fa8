// Walks the chain in seq order, a batch at a time (constant memory), recomputing every hash.
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { auditEntryHash, entryOf } from './entry.ts';
import { auditLog } from './schema.ts';

/** Why a log fails verification. A stable string outside tools may rely on. */
export type AuditInvalidReason =
  | 'missing-entry'
  | 'unexpected-entry'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'truncated'
  | 'checkpoint-mismatch'
  | 'checkpoint-signature'
  | 'checkpoint-key'
  | 'checkpoint-log';

export interface ScanStart {
  /** the seq of the entry before the first one scanned (0 for the whole log) */
  afterSeq: number;
  /** that entry's hash (GENESIS_HASH for the whole log) */
  prevHash: string;
}

export interface ScanResult {
  /** the last seq read and its stored hash, whether valid or not */
  lastSeq: number;
  lastHash: string;
  /** entries read */
  count: number;
  firstInvalidSeq: number | null;
  reason: AuditInvalidReason | null;
  /** the stored hash at each requested seq that was reached with the chain valid up to it */
  pinned: Map<number, string>;
}

export const SCAN_BATCH = 5000;

/**
 * Checks every entry after `start`: seqs follow one another without gaps, each `prevHash` is the stored hash before
 * it, each stored hash is the one recomputed. Stops at the first broken entry. `pins` asks for the stored hash at
 * those seqs (checkpoint sizes) to be reported.
 */
export async function scanChain(
  db: Db,
  start: ScanStart,
  options: { pins?: readonly number[]; batchSize?: number } = {},
): Promise<ScanResult> {
  const batchSize = options.batchSize ?? SCAN_BATCH;
  const pins = new Set(options.pins ?? []);
  const result: ScanResult = {
    lastSeq: start.afterSeq,
    lastHash: start.prevHash,
    count: 0,
    firstInvalidSeq: null,
    reason: null,
    pinned: new Map(),
  };
  let expected = start.afterSeq + 1;
  let prevHash = start.prevHash;
  // from the very start, rows below seq 1 are read too: someone may have put one before the first entry
  let cursor = start.afterSeq === 0 ? Number.MIN_SAFE_INTEGER : start.afterSeq;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, cursor))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    for (const row of rows) {
      const entry = entryOf(row);
      result.count += 1;
      cursor = entry.seq;
      result.lastSeq = entry.seq;
      result.lastHash = entry.hash;
      if (entry.seq !== expected) {
        // a gap names the first missing seq; a seq below the expected one (only possible first) names itself
        result.firstInvalidSeq = Math.min(entry.seq, expected);
        result.reason = entry.seq > expected ? 'missing-entry' : 'unexpected-entry';
        return result;
      }
      if (entry.prevHash !== prevHash) {
        result.firstInvalidSeq = entry.seq;
        result.reason = 'prev-hash-mismatch';
        return result;
      }
      if (auditEntryHash(entry) !== entry.hash) {
        result.firstInvalidSeq = entry.seq;
        result.reason = 'hash-mismatch';
        return result;
      }
      if (pins.has(entry.seq)) result.pinned.set(entry.seq, entry.hash);
      prevHash = entry.hash;
      expected += 1;
    }
    if (rows.length < batchSize) return result;
  }
}
