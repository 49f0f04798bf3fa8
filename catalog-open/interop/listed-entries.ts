// Reads the public catalog for the interop formats in bulk: the listed rows a query matches (one query), and the full
// entries of a page (two more), through the catalog's own row SQL so CKAN, DCAT and /open/datasets agree.
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { LISTED_COLUMNS, LISTED_CTE, toCatalogRow, type CatalogRow, type ListedSqlRow } from '../catalog/catalog-row.ts';
import { policiedCodes } from '../catalog/search-catalog.ts';
import { refreshStaleSearchText } from '../catalog/search-text.ts';
import { usageCounts } from '../catalog/show-entry.ts';
import type { CatalogEntryView, CatalogVersion } from '../catalog/types.ts';
import { toEntryView } from '../catalog/view.ts';

/**
 * Every listed row (unconditional and conditional datasets) whose search text holds each term, with that text, ordered by code;
 * with `id`, only the dataset with that code or resource code (资源代码).
 * Terms are lower-cased plain text matched with position(): % _ \ and quotes are characters like any other.
 */
export async function listedRows(
  database: Database,
  policies: PolicySet,
  filter: { terms?: readonly string[]; id?: string } = {},
): Promise<CatalogRow[]> {
  await refreshStaleSearchText(database);
  const params: unknown[] = [policiedCodes(policies)];
  const where = (filter.terms ?? []).map((t) => {
    params.push(t.toLowerCase());
    return `position($${params.length} in search_text) > 0`;
  });
  if (filter.id !== undefined) {
    params.push(filter.id);
    where.push(`(code = $${params.length} or resource_code = $${params.length})`);
  }
  const rows = await database.sql.query<ListedSqlRow>(
    `with ${LISTED_CTE} select ${LISTED_COLUMNS}, search_text from listed ${where.length ? `where ${where.join(' and ')}` : ''} order by code`,
    params,
  );
  return rows.map(toCatalogRow);
}

interface VersionSqlRow {
  dataset_code: string;
  version: number;
  row_count: number;
  byte_count: number;
  checksum: string;
  format: string;
  loaded_ms: number;
}

/** The full public entries of `rows`, in their order: versions and usage counts fetched once for all of them. */
export async function entriesOf(database: Database, policies: PolicySet, rows: readonly CatalogRow[], now: Date = new Date()): Promise<CatalogEntryView[]> {
  if (rows.length === 0) return [];
  const codes = rows.map((r) => r.code);
  const [versions, counts] = await Promise.all([
    database.sql.query<VersionSqlRow>(
      `select dataset_code, version, row_count::float8 as row_count, byte_count::float8 as byte_count, checksum, format,
              (extract(epoch from loaded_at) * 1000)::float8 as loaded_ms
         from dataset_versions where dataset_code in (select jsonb_array_elements_text($1::jsonb))
        order by dataset_code, version desc`,
      [JSON.stringify(codes)],
    ),
    usageCounts(database, codes),
  ]);
  const history = new Map<string, CatalogVersion[]>();
  for (const v of versions) {
    const list = history.get(v.dataset_code) ?? [];
    list.push({
      version: Number(v.version),
      rowCount: Number(v.row_count),
      byteCount: Number(v.byte_count),
      checksum: v.checksum,
      format: v.format,
      loadedAt: new Date(Number(v.loaded_ms)).toISOString(),
    });
    history.set(v.dataset_code, list);
  }
  return rows.map((row) => {
    const usage = counts.get(row.code) ?? { downloads: 0, feedback: { open: 0, resolved: 0 } };
    return toEntryView(row, policies, { versions: history.get(row.code) ?? [], ...usage }, now);
  });
}
