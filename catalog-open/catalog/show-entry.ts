// The full public entry of one listed dataset, with its version history and the download and feedback counts.
import { AppError } from '../../errors/index.ts';
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { LISTED_COLUMNS, LISTED_CTE, toCatalogRow, type ListedSqlRow } from './catalog-row.ts';
import { policiedCodes } from './search-catalog.ts';
import type { CatalogEntryView, CatalogVersion } from './types.ts';
import { toEntryView } from './view.ts';

interface VersionSqlRow {
  version: number;
  row_count: number;
  byte_count: number;
  checksum: string;
  format: string;
  loaded_ms: number;
}

/** Downloads (all days and formats) and open / resolved feedback of each dataset in `codes`. */
export async function usageCounts(
  database: Database,
  codes: readonly string[] | null,
): Promise<Map<string, { downloads: number; feedback: { open: number; resolved: number } }>> {
  const filter = codes === null ? '' : 'where dataset_code in (select jsonb_array_elements_text($1::jsonb))';
  const params = codes === null ? [] : [JSON.stringify(codes)];
  const [downloads, feedback] = await Promise.all([
    database.sql.query<{ dataset_code: string; n: number }>(
      `select dataset_code, sum(count)::float8 as n from download_counts ${filter} group by dataset_code`,
      params,
    ),
    database.sql.query<{ dataset_code: string; open: number; resolved: number }>(
      `select dataset_code, (count(*) filter (where status in ('open', 'in_progress')))::int as open,
              (count(*) filter (where status = 'resolved'))::int as resolved
         from feedback ${filter} group by dataset_code`,
      params,
    ),
  ]);
  const counts = new Map<string, { downloads: number; feedback: { open: number; resolved: number } }>();
  const of = (code: string) => {
    let c = counts.get(code);
    if (!c) counts.set(code, (c = { downloads: 0, feedback: { open: 0, resolved: 0 } }));
    return c;
  };
  for (const d of downloads) of(d.dataset_code).downloads = Number(d.n);
  for (const f of feedback) of(f.dataset_code).feedback = { open: Number(f.open), resolved: Number(f.resolved) };
  return counts;
}

/** Throws DATASET_NOT_FOUND for an unknown code and for a not_open dataset alike (the public cannot tell them apart). */
export async function showCatalogEntry(database: Database, policies: PolicySet, code: string, now: Date = new Date()): Promise<CatalogEntryView> {
  const rows = await database.sql.query<ListedSqlRow>(
    `with ${LISTED_CTE} select ${LISTED_COLUMNS}, search_text from listed where code = $2`,
    [policiedCodes(policies), code],
  );
  const first = rows[0];
  if (!first) throw new AppError('DATASET_NOT_FOUND', 'no open dataset with this code');
  const row = toCatalogRow(first);
  const [versions, counts] = await Promise.all([
    database.sql.query<VersionSqlRow>(
      `select version, row_count::float8 as row_count, byte_count::float8 as byte_count, checksum, format,
              (extract(epoch from loaded_at) * 1000)::float8 as loaded_ms
         from dataset_versions where dataset_code = $1 order by version desc`,
      [code],
    ),
    usageCounts(database, [code]),
  ]);
  const history: CatalogVersion[] = versions.map((v) => ({
    version: Number(v.version),
    rowCount: Number(v.row_count),
    byteCount: Number(v.byte_count),
    checksum: v.checksum,
    format: v.format,
    loadedAt: new Date(Number(v.loaded_ms)).toISOString(),
  }));
  const usage = counts.get(code) ?? { downloads: 0, feedback: { open: 0, resolved: 0 } };
  return toEntryView(row, policies, { versions: history, ...usage }, now);
}
