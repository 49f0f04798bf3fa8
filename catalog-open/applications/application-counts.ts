// Applications per dataset and outcome: a demand signal for next year's priority list (no applicant data).
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../store/index.ts';
import { applications } from '../schema.ts';

export interface ApplicationCounts {
  pending: number;
  approved: number;
  rejected: number;
}

/** Counts per dataset code; every code asked for is present (zeros when nobody applied). */
export async function applicationCounts(db: Db, datasetCodes: readonly string[]): Promise<Map<string, ApplicationCounts>> {
  const counts = new Map<string, ApplicationCounts>(datasetCodes.map((c) => [c, { pending: 0, approved: 0, rejected: 0 }]));
  if (datasetCodes.length === 0) return counts;
  const rows = await db
    .select({ code: applications.datasetCode, status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(inArray(applications.datasetCode, [...new Set(datasetCodes)]))
    .groupBy(applications.datasetCode, applications.status);
  for (const r of rows) counts.get(r.code)![r.status] += Number(r.n);
  return counts;
}
