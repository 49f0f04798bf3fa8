// The applicant follows an application with its status token.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { VerbContext } from '../context.ts';
import { applications } from '../schema.ts';
import { applicationStatusView, type ApplicationRow, type ApplicationStatusView } from './application-view.ts';
import { statusTokenMatches } from './status-token.ts';

const ID = /^app_[0-9a-f-]{36}$/;

/**
 * The application `id` when `token` is its status token, else undefined. An unknown id and a wrong token cost the
 * same comparison, so the answer never reveals that an application exists.
 */
export async function applicationByToken(ctx: Pick<VerbContext, 'database'>, id: string, token: string | undefined): Promise<ApplicationRow | undefined> {
  const [row] = ID.test(id) ? await ctx.database.db.select().from(applications).where(eq(applications.id, id)) : [];
  return statusTokenMatches(row?.statusTokenHash, token) ? row : undefined;
}

/** Throws NOT_FOUND for an unknown id and for a missing or wrong token alike. */
export async function showApplicationVerb(ctx: VerbContext, id: string, token: string | undefined): Promise<ApplicationStatusView> {
  const row = await applicationByToken(ctx, id, token);
  if (!row) throw new AppError('NOT_FOUND', 'no application with this id and status token');
  return applicationStatusView(row);
}
