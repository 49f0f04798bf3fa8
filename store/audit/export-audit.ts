// Streaming the log out for staff to keep or inspect: JSON Lines (exact, re-verifiable) or CSV (for spreadsheets).
import { and, asc, gt, lte, max } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { entryOf } from './entry.ts';
import { auditWhere, type AuditFilters } from './filters.ts';
import { auditLog } from './schema.ts';
import type { AuditEntry } from './types.ts';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

const EXPORT_BATCH = 1000;

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor_type',
  'actor_id',
  'action',
  'resource',
  'outcome',
  'ip',
  'request_id',
  'details',
  'prev_hash',
  'hash',
] as const;

/**
 * One CSV field (RFC 4180). A text cell that a spreadsheet would run as a formula (= + - @, tab, CR) is prefixed
 * with an apostrophe: actor ids and resources can come from outside (a refused username).
 */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(e: AuditEntry): string {
  return `${[
    e.seq,
    e.at,
    e.actor.type,
    e.actor.id,
    e.action,
    e.resource,
    e.outcome,
    e.ip,
    e.requestId,
    JSON.stringify(e.details),
    e.prevHash,
    e.hash,
  ]
    .map(csvField)
    .join(',')}\r\n`;
}

/** One entry as a JSON line, members in wire order. */
function jsonLine(e: AuditEntry): string {
  return `${JSON.stringify(e)}\n`;
}

/**
 * The entries matching `filters`, oldest first, as chunks of text (one chunk per 1,000 entries; CSV starts with its
 * header). The export ends at the head as it was when it started, so a long export is one consistent prefix.
 * Details are value-free by construction, so nothing is masked here.
 */
export async function* exportAudit(db: Db, filters: AuditFilters, format: AuditExportFormat): AsyncGenerator<string> {
  if (!AUDIT_EXPORT_FORMATS.includes(format)) throw new TypeError('unknown audit export format');
  const line = format === 'csv' ? csvLine : jsonLine;
  if (format === 'csv') yield `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  const [head] = await db.select({ seq: max(auditLog.seq) }).from(auditLog);
  const last = head?.seq == null ? 0 : Number(head.seq);
  let after = 0;
  while (after < last) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(auditWhere(filters), gt(auditLog.seq, after), lte(auditLog.seq, last)))
      .orderBy(asc(auditLog.seq))
      .limit(EXPORT_BATCH);
    if (rows.length === 0) break;
    after = Number(rows.at(-1)!.seq);
    yield rows.map((row) => line(entryOf(row))).join('');
  }
}
