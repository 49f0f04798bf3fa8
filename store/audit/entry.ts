// Building, hashing and reading audit entries. The hash input is a storage format outside verifiers recompute.
import { canonicalJson, sm3Hex } from '../../crypto/index.ts';
import { safeDetails, storableText } from './safe-details.ts';
import type { auditLog } from './schema.ts';
import {
  AUDIT_ACTOR_TYPES,
  AUDIT_OUTCOMES,
  type AuditActorType,
  type AuditEntry,
  type AuditEvent,
  type AuditOutcome,
} from './types.ts';

/** An event checked and cleaned, ready to be chained. */
export type NormalizedEvent = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash'>;

const ACTION = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

const nullableText = (value: string | null | undefined, max: number) =>
  value === undefined || value === null ? null : storableText(String(value), max);

/**
 * Checks an event and cleans it for storage (details through `safeDetails`; text made storable and clipped).
 * Throws TypeError for a caller's mistake: unknown actor type or outcome, a malformed action, unsafe details.
 */
export function normalizeAuditEvent(event: AuditEvent): NormalizedEvent {
  if (!AUDIT_ACTOR_TYPES.includes(event.actor?.type as AuditActorType)) throw new TypeError('unknown audit actor type');
  if (!AUDIT_OUTCOMES.includes(event.outcome as AuditOutcome)) throw new TypeError('unknown audit outcome');
  if (typeof event.action !== 'string' || event.action.length > 100 || !ACTION.test(event.action)) {
    throw new TypeError('audit action must be a dotted lower-case name of at most 100 characters');
  }
  return {
    actor: { type: event.actor.type, id: nullableText(event.actor.id, 200) },
    action: event.action,
    resource: nullableText(event.resource, 500),
    outcome: event.outcome,
    ip: nullableText(event.ip, 64),
    requestId: nullableText(event.requestId, 200),
    details: safeDetails(event.details),
  };
}

/**
 * The entry's hash: SM3 over the RFC 8785 canonical JSON of
 * `{seq, at, actor: {type, id}, action, resource, outcome, ip, requestId, details, prevHash}`, as lowercase hex.
 */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, resource, outcome, ip, requestId, details, prevHash } = entry;
  return sm3Hex(
    canonicalJson({
      seq,
      at,
      actor: { type: actor.type, id: actor.id },
      action,
      resource,
      outcome,
      ip,
      requestId,
      details,
      prevHash,
    }),
  );
}

/** Chains `events` after the head (`seq`, `hash`, `at` of the last entry; seq 0 for an empty log). */
export function chainEntries(
  head: { seq: number; hash: string; at: Date | null },
  events: readonly NormalizedEvent[],
  now: Date,
): AuditEntry[] {
  // `at` never goes backwards along the chain, even when writers' clocks disagree
  const at = (head.at && head.at > now ? head.at : now).toISOString();
  let { seq, hash: prevHash } = head;
  return events.map((event) => {
    seq += 1;
    const unhashed = { seq, at, ...event, prevHash };
    const entry = { ...unhashed, hash: auditEntryHash(unhashed) };
    prevHash = entry.hash;
    return entry;
  });
}

export type AuditRow = typeof auditLog.$inferSelect;

export function rowOf(entry: AuditEntry): AuditRow {
  return {
    seq: entry.seq,
    at: new Date(entry.at),
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    action: entry.action,
    resource: entry.resource,
    outcome: entry.outcome,
    ip: entry.ip,
    requestId: entry.requestId,
    details: entry.details,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/** The entry a stored row says, as it says it (unknown actor types or outcomes are kept, for verification to judge). */
export function entryOf(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: { type: row.actorType as AuditActorType, id: row.actorId },
    action: row.action,
    resource: row.resource,
    outcome: row.outcome as AuditOutcome,
    ip: row.ip,
    requestId: row.requestId,
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
