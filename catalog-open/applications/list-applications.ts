// A steward's queue: the applications for datasets of their department (all departments for a steward without one).
import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { applicationEntity } from '../../policies/index.ts';
import { schema } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { applications, type ApplicationStatus } from '../schema.ts';
import { stewardApplicationView, type ApplicationRow, type StewardApplicationView } from './application-view.ts';
import { authorizedPage } from './authorized-page.ts';
import { olderThan } from './page-cursor.ts';

const { datasets } = schema;

/** The Cedar resource of an application; `department` is the providing department, as staff accounts name it. */
export function applicationResource(row: ApplicationRow, department: string) {
  return applicationEntity({ id: row.id, department, datasetCode: row.datasetCode, status: row.status, expiresAt: row.expiresAt ?? undefined });
}

/**
 * Newest first. The department filter in SQL keeps pages full; Cedar (ApproveApplication) still decides every
 * item, so the listing can never show more than the policies allow. Throws FORBIDDEN for non-staff, BAD_REQUEST
 * for a bad cursor.
 */
export async function listApplicationsVerb(
  ctx: VerbContext,
  query: { status?: ApplicationStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: StewardApplicationView[]; nextCursor: string | null }> {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only stewards decide applications');
  const department = ctx.actor.department;
  const rows = await ctx.database.db
    .select({ row: applications, department: datasets.department })
    .from(applications)
    .innerJoin(datasets, eq(datasets.code, applications.datasetCode))
    .where(
      and(
        query.status ? eq(applications.status, query.status) : undefined,
        department !== null ? eq(datasets.department, department) : undefined,
        olderThan(applications.createdAt, applications.id, query.cursor),
      ),
    )
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(query.limit + 1);
  return authorizedPage(
    ctx,
    rows,
    query.limit,
    'applications',
    (row, department) => ({ action: 'ApproveApplication', resource: applicationResource(row, department) }),
    stewardApplicationView,
  );
}
