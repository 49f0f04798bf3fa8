// One page of a steward's listing: Cedar decides each row, the keyset cursor moves past the whole page.
import type { AuthorizationQuestion, VerbContext } from '../context.ts';
import { cursorOf } from './page-cursor.ts';

/**
 * `rows` were read newest first with `limit + 1` (olderThan), each with its dataset's department; the extra row only
 * says a next page exists. Cedar decides every row of the page (one audit entry for `resource`) and the denied ones
 * are dropped; the cursor is the page's last row, shown or not, so a denied row never stops the paging.
 */
export async function authorizedPage<T extends { createdAt: Date; id: string }, V>(
  ctx: Pick<VerbContext, 'authorizeEach'>,
  rows: readonly { row: T; department: string }[],
  limit: number,
  resource: string,
  question: (row: T, department: string) => AuthorizationQuestion,
  view: (row: T) => V,
): Promise<{ items: V[]; nextCursor: string | null }> {
  const page = rows.slice(0, limit);
  const allowed = await ctx.authorizeEach(page.map((r) => question(r.row, r.department)), resource);
  return {
    items: page.filter((_, i) => allowed[i]).map((r) => view(r.row)),
    nextCursor: rows.length > limit ? cursorOf(page.at(-1)!.row) : null,
  };
}
