// The custodian closes a round: the platform adds the contributions homomorphically and masks the sum, so that the
// custodian's decryption yields nothing they can read. Nothing is decrypted here.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { PaillierPublicKey } from '../../crypto/index.ts';
import { recordChange } from '../../store/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';
import { auditRefusal } from './refusal.ts';
import { findRound, layoutOf, roundKey, toRoundView, type RoundView } from './round-view.ts';
import { encryptedContributions, encryptedRounds } from './schema.ts';
import { roundEntity, staffActor } from './verb-helpers.ts';

/** A uniform element of Z_n from the OS CSPRNG (128 extra bits make the modulo bias negligible). */
export function uniformMask(n: bigint): bigint {
  const bytes = Math.ceil(n.toString(2).length / 8) + 16;
  return BigInt('0x' + randomBytes(bytes).toString('hex')) % n;
}

/** E(Σ contributions) per packed plaintext: products mod n² of the departments' ciphertexts, position by position. */
export function homomorphicSum(key: PaillierPublicKey, contributions: readonly (readonly string[])[], width: number): bigint[] {
  return Array.from({ length: width }, (_, k) => key.add(...contributions.map((c) => BigInt('0x' + c[k]!))));
}

/**
 * Throws NOT_FOUND; FORBIDDEN (Cedar CloseRound: the round's custodian, and never with fewer than three
 * contributions); CONFLICT with reason round-not-open or too-few-contributions (fewer than the round's minimum).
 */
export async function closeRound(ctx: EncryptedStatisticsContext, roundId: string): Promise<RoundView> {
  return auditRefusal(ctx, 'encrypted_statistics.round.close', `encrypted-round:${roundId}`, async () => {
    staffActor(ctx);
    const round = await findRound(ctx.database.db, roundId);
    await ctx.authorize({ action: 'CloseRound', resource: roundEntity(round), context: { contributions: round.contributions } });
    return ctx.database.db.transaction(async (tx) => {
      const locked = await findRound(tx, roundId, true);
      if (locked.status !== 'open') throw new AppError('CONFLICT', 'the round is already closed', { details: { reason: 'round-not-open' } });
      const rows = await tx.select({ ciphertexts: encryptedContributions.ciphertexts }).from(encryptedContributions).where(eq(encryptedContributions.roundId, roundId));
      if (rows.length < locked.minDepartments) {
        throw new AppError('CONFLICT', `the round needs ${locked.minDepartments} contributions before its total is decrypted, it has ${rows.length}`, {
          details: { reason: 'too-few-contributions', contributions: rows.length, needed: locked.minDepartments },
        });
      }
      const key = roundKey(locked);
      const layout = layoutOf(locked, key);
      const sum = homomorphicSum(key, rows.map((r) => r.ciphertexts), layout.ciphertexts);
      // E(total) · g^mask = E(total + mask): the custodian decrypts a uniformly random value per plaintext
      const masks = sum.map(() => uniformMask(key.n));
      const masked = sum.map((c, k) => key.addPlain(c, masks[k]!));
      const now = new Date();
      const [after] = await tx
        .update(encryptedRounds)
        .set({ status: 'closed', closedAt: now, contributions: rows.length, maskedTotal: masked.map((c) => c.toString(16)), masks: masks.map((m) => m.toString(16)) })
        .where(eq(encryptedRounds.id, roundId))
        .returning();
      await recordChange(ctx, tx, 'encrypted_statistics.round.closed', `encrypted-round:${roundId}`, { contributions: rows.length, ciphertexts: layout.ciphertexts, vectorLength: layout.vectorLength });
      return toRoundView(tx, after!);
    });
  });
}
