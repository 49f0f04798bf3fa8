// The round's custodian and the stewards of its invited departments read a round (Cedar ReadRound).
import type { EncryptedStatisticsContext } from './context.ts';
import { findRound, toRoundView, type RoundView } from './round-view.ts';
import { roundEntity, staffActor } from './verb-helpers.ts';

/** Throws NOT_FOUND, FORBIDDEN. */
export async function getRound(ctx: EncryptedStatisticsContext, id: string): Promise<RoundView> {
  staffActor(ctx);
  const row = await findRound(ctx.database.db, id);
  await ctx.authorize({ action: 'ReadRound', resource: roundEntity(row) });
  return toRoundView(ctx.database.db, row);
}
