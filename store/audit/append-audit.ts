// Appending to the chain inside the caller's transaction, under one lock, so concurrent writers never fork it.
import { desc, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { AppError } from '../../errors/index.ts';
import type { Db, SqlClient } from '../database.ts';
import { chainEntries, normalizeAuditEvent, rowOf, type NormalizedEvent } from './entry.ts';
import { auditLog } from './schema.ts';
import { GENESIS_HASH, type AuditEntry, type AuditEvent } from './types.ts';

/**
 * Arbitrary constant naming the transaction-scoped advisory lock that serialises appends across every connection
 * and process sharing the database (migrations use 724_007_001). Held from reading the head until commit.
 */
export const AUDIT_LOCK_ID = 724_007_002;

const LOCK = `select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`;
/** 12 parameters a row stays far below PostgreSQL's 65,535 per statement */
const INSERT_CHUNK = 1000;

/** Wraps a driver error, whose message may quote SQL parameters (ids, IPs), into one that is safe to log. */
function unavailable(err: unknown): AppError {
  return new AppError('AUDIT_UNAVAILABLE', 'the audit entry could not be written', { cause: err });
}

/**
 * Appends normalised events in order, in the transaction `tx`: takes the audit lock, reads the head, chains,
 * inserts. The entries are durable when `tx` commits; if it rolls back, so do they (and the other way round).
 * Throws TypeError when `tx` is not a transaction, AUDIT_UNAVAILABLE when the database refuses.
 */
export async function appendAuditEntries(tx: Db, events: readonly NormalizedEvent[]): Promise<AuditEntry[]> {
  // outside a transaction the lock would be released after its own statement, and two writers could fork the chain
  if (!(tx instanceof PgTransaction)) throw new TypeError('audit entries must be appended inside a transaction');
  if (events.length === 0) return [];
  try {
    await tx.execute(sql.raw(LOCK));
    // read after the lock: under READ COMMITTED this statement sees every entry committed before we got it
    const [head] = await tx
      .select({ seq: auditLog.seq, hash: auditLog.hash, at: auditLog.at })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const entries = chainEntries(head ?? { seq: 0, hash: GENESIS_HASH, at: null }, events, new Date());
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      await tx.insert(auditLog).values(entries.slice(i, i + INSERT_CHUNK).map(rowOf));
    }
    return entries;
  } catch (err) {
    throw unavailable(err);
  }
}

/**
 * Appends one event in the caller's drizzle transaction, e.g. `database.db.transaction(async (tx) => { …change…;
 * await appendAudit(tx, event); })`, so the change and its audit entry commit or roll back together (fail closed).
 * Append last in the transaction: the audit lock is held until commit and every other audited write waits for it.
 * Throws TypeError for a malformed event or when `tx` is not a transaction; AUDIT_UNAVAILABLE when the write fails.
 */
export async function appendAudit(tx: Db, event: AuditEvent): Promise<AuditEntry> {
  const [entry] = await appendAuditEntries(tx, [normalizeAuditEvent(event)]);
  return entry!;
}

/**
 * The same for a raw transaction from `Database.transaction` (e.g. a dataset load). `tx` must be such a
 * transaction: a raw client cannot tell, and outside one the chain could fork.
 * Throws TypeError for a malformed event; AUDIT_UNAVAILABLE when the write fails.
 */
export async function appendAuditSql(tx: SqlClient, event: AuditEvent): Promise<AuditEntry> {
  const normalized = normalizeAuditEvent(event);
  try {
    await tx.query(LOCK);
    const [head] = await tx.query<{ seq: string | number; hash: string; at: Date | string }>(
      // order by the column, not the text alias (which would sort '9' after '10')
      'select seq::text as seq, hash, at from audit_log order by audit_log.seq desc limit 1',
    );
    const [entry] = chainEntries(
      head ? { seq: Number(head.seq), hash: head.hash, at: new Date(head.at) } : { seq: 0, hash: GENESIS_HASH, at: null },
      [normalized],
      new Date(),
    );
    const e = entry!;
    await tx.query(
      `insert into audit_log (seq, at, actor_type, actor_id, action, resource, outcome, ip, request_id, details, prev_hash, hash)
       values ($1::text::bigint, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)`,
      [String(e.seq), e.at, e.actor.type, e.actor.id, e.action, e.resource, e.outcome, e.ip, e.requestId, JSON.stringify(e.details), e.prevHash, e.hash],
    );
    return e;
  } catch (err) {
    throw unavailable(err);
  }
}
