// Downloads per dataset over a window, for the staff dashboard and demand signals.
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/index.ts';

export interface DatasetDownloads {
  datasetCode: string;
  name: string;
  downloads: number;
}

/** The most downloaded datasets of the last `days` days (all formats). */
export async function downloadsPerDataset(db: Db, days: number, limit = 15): Promise<DatasetDownloads[]> {
  const result = await db.execute(sql`
    SELECT d.dataset_code AS "datasetCode", coalesce(ds.name, d.dataset_code) AS name, sum(d.count)::bigint AS downloads
    FROM download_counts d LEFT JOIN datasets ds ON ds.code = d.dataset_code
    WHERE d.day >= (now() AT TIME ZONE 'UTC')::date - ${days}::int
    GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT ${limit}`);
  const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as DatasetDownloads[];
  return rows.map((r) => ({ datasetCode: r.datasetCode, name: r.name, downloads: Number(r.downloads) }));
}
