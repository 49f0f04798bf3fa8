// The filters staff use to read the log, as SQL conditions shared by listing and export.
import { and, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { auditLog } from './schema.ts';
import type { AuditActorType, AuditOutcome } from './types.ts';

export interface AuditFilters {
  /** actor id, exact */
  actor?: string | undefined;
  actorType?: AuditActorType | undefined;
  /** exact, or a prefix when it ends in `*` (`auth.*`) */
  action?: string | undefined;
  /** exact, or a prefix when it ends in `*` (`dataset:*`) */
  resource?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** entries at or after this time */
  from?: Date | undefined;
  /** entries before this time */
  to?: Date | undefined;
}

function textMatch(column: typeof auditLog.action | typeof auditLog.resource, value: string): SQL {
  if (!value.endsWith('*')) return eq(column, value);
  const prefix = value.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
  return like(column, `${prefix}%`);
}

/** The conditions of `filters`, plus any `extra`, joined with AND (undefined when there are none). */
export function auditWhere(filters: AuditFilters, ...extra: (SQL | undefined)[]): SQL | undefined {
  return and(
    filters.actor === undefined ? undefined : eq(auditLog.actorId, filters.actor),
    filters.actorType === undefined ? undefined : eq(auditLog.actorType, filters.actorType),
    filters.action === undefined ? undefined : textMatch(auditLog.action, filters.action),
    filters.resource === undefined ? undefined : textMatch(auditLog.resource, filters.resource),
    filters.outcome === undefined ? undefined : eq(auditLog.outcome, filters.outcome),
    filters.from === undefined ? undefined : gte(auditLog.at, filters.from),
    filters.to === undefined ? undefined : lt(auditLog.at, filters.to),
    ...extra,
  );
}
