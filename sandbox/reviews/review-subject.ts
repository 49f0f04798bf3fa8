// A job in review as Cedar sees it: the departments of the datasets it reads, and who submitted it when that was a
// staff member (the four-eyes forbid in forbids.cedar compares it with the reviewer).
import { and, eq } from 'drizzle-orm';
import { jobEntity, type EntitySlice } from '../../policies/index.ts';
import { getDataset, schema, type Db } from '../../store/index.ts';
import type { jobs } from '../jobs/schema.ts';

const { auditLog } = schema;

export interface ReviewSubject {
  resource: EntitySlice;
  departments: string[];
  submittedBy: string | undefined;
}

/** Datasets removed from the registry since count for no department (only an all-department steward sees the job). */
export async function reviewSubject(db: Db, job: typeof jobs.$inferSelect): Promise<ReviewSubject> {
  const departments: string[] = [];
  for (const d of job.datasets) {
    const dataset = await getDataset(db, d.code).catch(() => undefined);
    if (dataset) departments.push(dataset.department);
  }
  // jobs are submitted by operators through POST /operator/jobs; a staff member who submitted one (any future staff
  // path) is the actor of its `job.submitted` audit entry
  const [submitted] = await db
    .select({ actorId: auditLog.actorId })
    .from(auditLog)
    .where(and(eq(auditLog.resource, `job:${job.id}`), eq(auditLog.action, 'job.submitted'), eq(auditLog.actorType, 'staff')))
    .limit(1);
  return {
    resource: jobEntity({ id: job.id, operatorId: job.operatorId, licenseId: job.licenseId, departments }),
    departments: [...new Set(departments)],
    submittedBy: submitted?.actorId ?? undefined,
  };
}
