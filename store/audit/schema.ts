// Tables of the tamper-evident audit log: the hash-chained entries, the log's identity, and signed checkpoints.
// Storage format: outside verifiers recompute hashes from these columns (docs/audit.md). Add columns, never rename.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per audit entry. Append-only: the app's role may INSERT and SELECT only, and a trigger refuses changes. */
export const auditLog = pgTable(
  'audit_log',
  {
    /** 1, 2, 3, … without gaps: assigned under the audit lock, so a gap means a deleted row */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    resource: text('resource'),
    outcome: text('outcome').notNull(),
    ip: text('ip'),
    requestId: text('request_id'),
    /** value-free context (counts, field names, reasons); never a data value, token or secret */
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    /** the previous entry's hash; 64 zeros for seq 1 */
    prevHash: text('prev_hash').notNull(),
    /** SM3 over the RFC 8785 canonical JSON of the entry (everything above), hex */
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_actor_idx').on(t.actorId, t.seq),
    index('audit_log_action_idx').on(t.action, t.seq),
    index('audit_log_resource_idx').on(t.resource, t.seq),
    index('audit_log_at_idx').on(t.at),
  ],
);

/** The identity of this log (one row), named by every checkpoint so one log's checkpoint cannot vouch for another. */
export const auditLogMeta = pgTable(
  'audit_log_meta',
  {
    id: integer('id').primaryKey().default(1),
    logId: text('log_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('audit_log_meta_single_row', sql`${t.id} = 1`)],
);

/** Signed statements "the log had `size` entries ending in `head_hash`", exportable to keep outside the database. */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  logId: text('log_id').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
  at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  alg: text('alg').notNull(),
  /** SM2 signature r‖s (hex) over the canonical JSON of the checkpoint without `signature` */
  signature: text('signature').notNull(),
  /** the signer's public key 04‖x‖y (hex); it is also the key id */
  publicKey: text('public_key').notNull(),
});
