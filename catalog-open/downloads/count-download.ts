// Download counts per dataset, day (UTC) and format: one atomic upsert per completed download.
import { sql } from 'drizzle-orm';
import type { Database } from '../../store/index.ts';
import { downloadCounts } from '../schema.ts';

/** Adds one to today's count; concurrent downloads each add theirs (the upsert increments in the database). */
export async function countDownload(database: Database, datasetCode: string, format: string, now = new Date()): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  await database.db
    .insert(downloadCounts)
    .values({ datasetCode, day, format, count: 1 })
    .onConflictDoUpdate({
      target: [downloadCounts.datasetCode, downloadCounts.day, downloadCounts.format],
      set: { count: sql`${downloadCounts.count} + 1` },
    });
}
