// Reading the log newest first, a page at a time, for security staff.
import { desc, lt } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { Db } from '../database.ts';
import { entryOf } from './entry.ts';
import { auditWhere, type AuditFilters } from './filters.ts';
import { auditLog } from './schema.ts';
import type { AuditEntry } from './types.ts';

export interface AuditPage {
  items: AuditEntry[];
  /** pass back as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

/** Parses a cursor from outside. Throws BAD_REQUEST when it is not a sequence number. */
export function parseAuditCursor(cursor: string): number {
  const seq = /^[1-9][0-9]{0,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(seq)) throw new AppError('BAD_REQUEST', 'cursor is not valid');
  return seq;
}

/**
 * Entries matching `filters`, newest first. The cursor is the `seq` of the last entry of the previous page, so
 * pages stay stable while entries are appended. Throws BAD_REQUEST for a malformed cursor.
 */
export async function listAudit(
  db: Db,
  filters: AuditFilters,
  options: { limit: number; cursor?: string | undefined },
): Promise<AuditPage> {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new TypeError('limit must be a positive integer');
  const before = options.cursor === undefined ? undefined : parseAuditCursor(options.cursor);
  const rows = await db
    .select()
    .from(auditLog)
    .where(auditWhere(filters, before === undefined ? undefined : lt(auditLog.seq, before)))
    .orderBy(desc(auditLog.seq))
    .limit(options.limit + 1);
  const items = rows.slice(0, options.limit).map(entryOf);
  const nextCursor = rows.length > options.limit ? String(items.at(-1)!.seq) : null;
  return { items, nextCursor };
}
