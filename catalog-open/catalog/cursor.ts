// Opaque keyset cursors of the catalog search: the sort they belong to and the last row's sort key and code.
import { AppError } from '../../errors/index.ts';
import { CATALOG_SORTS, type CatalogSort } from './types.ts';

export interface CatalogCursor {
  sort: CatalogSort;
  /** the last row's sort value as PostgreSQL printed it (exact, so no row is skipped or repeated) */
  key: string;
  code: string;
}

export function encodeCursor(cursor: CatalogCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.code]), 'utf8').toString('base64url');
}

function bad(message: string): AppError {
  return new AppError('BAD_REQUEST', message, { details: { issues: [{ path: 'cursor', message }] } });
}

/** Throws BAD_REQUEST naming `cursor` for anything this module did not write for the same sort. */
export function decodeCursor(raw: string, sort: CatalogSort): CatalogCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad('cursor is not one this API issued');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) {
    throw bad('cursor is not one this API issued');
  }
  const [s, key, code] = parsed as [string, string, string];
  if (!(CATALOG_SORTS as readonly string[]).includes(s)) throw bad('cursor is not one this API issued');
  if (s !== sort) throw bad('cursor belongs to another sort order');
  // PostgreSQL's own timestamptz output, e.g. `2026-11-22 02:57:50.443+00`; anything else would fail the cast (a 500)
  if (s === 'modified' && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(key)) {
    throw bad('cursor is not one this API issued');
  }
  return { sort: s as CatalogSort, key, code };
}
