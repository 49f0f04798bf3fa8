// Test support for the audit log: sample events, and tampering as a database superuser could do it.
import type { Database } from '../database.ts';
import { AuditLog } from './audit-log.ts';
import type { AuditEntry, AuditEvent } from './types.ts';

/** A plausible event; `i` varies what it says. */
export function sampleEvent(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    actor: i % 3 === 0 ? { type: 'system', id: 'worker-1' } : { type: 'staff', id: `staff-${i % 5}` },
    action: i % 2 === 0 ? 'http.request' : 'dataset.load',
    resource: i % 2 === 0 ? `GET /steward/datasets/${i}` : `dataset:ds_${i % 4}`,
    outcome: i % 7 === 0 ? 'deny' : 'ok',
    ip: `10.0.0.${i % 250}`,
    requestId: `req-${i}`,
    details: { rows: i * 10, fields: ['name', 'region'], note: i % 2 ? 'loaded' : null, ratio: i / 7 },
    ...overrides,
  };
}

/** Appends `n` sample events through one AuditLog and returns the entries. */
export async function appendSamples(database: Database, n: number, first = 1): Promise<AuditEntry[]> {
  const log = new AuditLog(database);
  const entries = await Promise.all(Array.from({ length: n }, (_, i) => log.append(sampleEvent(first + i))));
  await log.close();
  return entries;
}

/**
 * Runs raw statements the way an administrator bypassing the append-only trigger would: in one transaction with
 * `session_replication_role = replica`, which stops ordinary triggers from firing (superuser only).
 */
export async function tamper(database: Database, ...statements: (string | [string, unknown[]])[]): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const s of statements) {
      if (typeof s === 'string') await tx.query(s);
      else await tx.query(s[0], s[1]);
    }
  });
}

/** Empties the audit tables (as an administrator) so a test can start a fresh chain on a shared database. */
export async function resetAudit(database: Database): Promise<void> {
  await tamper(database, 'DELETE FROM audit_log', 'DELETE FROM audit_checkpoints');
}

/** Moves entries with seq ≥ `from` one place up, making room at `from` (two steps: seq is a primary key). */
export function shiftUpStatements(from: number): string[] {
  return [
    `UPDATE audit_log SET seq = -seq WHERE seq >= ${from}`,
    `UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0`,
  ];
}
