// Keyset cursors over (created_at, id), newest first: stable while rows are added.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../errors/index.ts';

/** Throws BAD_REQUEST for a cursor this module did not issue. */
export function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || rest.length > 0 || Number.isNaN(date.getTime())) throw new AppError('BAD_REQUEST', 'cursor is not valid');
  return { at: date, id };
}

export function cursorOf(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

/** Rows older than the cursor's, in (created_at desc, id desc) order. */
export function olderThan(createdAt: PgColumn, id: PgColumn, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const after = parseCursor(cursor);
  return or(lt(createdAt, after.at), and(eq(createdAt, after.at), lt(id, after.id)));
}
