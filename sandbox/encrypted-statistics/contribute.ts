// A steward contributes their department's figures, encrypted under the round's key; the platform checks the
// ciphertexts' form and stores them as they came. It can decrypt none of them.
import { sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { paillier } from '../../crypto/index.ts';
import { recordChange } from '../../store/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';
import { auditRefusal } from './refusal.ts';
import { findRound, layoutOf, roundKey, toRoundView, type RoundView } from './round-view.ts';
import { encryptedContributions, encryptedRounds } from './schema.ts';
import { contributeSchema } from './schemas.ts';
import { parseBody, roundEntity, staffActor } from './verb-helpers.ts';

/**
 * Throws NOT_FOUND; FORBIDDEN (Cedar ContributeEncrypted: a steward of an invited department); VALIDATION_FAILED with
 * `details.reason`: bad-body, malformed, wrong-scheme, unsupported-version, wrong-type, wrong-key (another key's
 * ciphertexts), ciphertext-out-of-range (not in (0, n²)), ciphertext-not-unit (not in Z*_{n²}), wrong-length;
 * CONFLICT with reason round-closed (late) or duplicate-contribution (the department has contributed).
 */
export async function contribute(ctx: EncryptedStatisticsContext, roundId: string, raw: unknown): Promise<RoundView> {
  return auditRefusal(ctx, 'encrypted_statistics.contribution', `encrypted-round:${roundId}`, async () => {
    const actor = staffActor(ctx);
    const round = await findRound(ctx.database.db, roundId);
    await ctx.authorize({ action: 'ContributeEncrypted', resource: roundEntity(round) });
    const department = actor.department;
    if (department === null) throw new AppError('FORBIDDEN', 'a contribution speaks for one department');
    const input = parseBody(contributeSchema, raw);
    const key = roundKey(round);
    const layout = layoutOf(round, key);
    // checks scheme, version, key id, hex, 0 < c < n² and gcd(c, n) = 1 for every ciphertext
    const ciphertexts = paillier.deserializeCiphertexts(key, JSON.stringify(input.ciphertexts));
    if (ciphertexts.length !== layout.ciphertexts) {
      throw new AppError('VALIDATION_FAILED', `this round takes ${layout.ciphertexts} ciphertext(s) per contribution, got ${ciphertexts.length}`, {
        details: { reason: 'wrong-length', expected: layout.ciphertexts, got: ciphertexts.length },
      });
    }
    return ctx.database.db.transaction(async (tx) => {
      const locked = await findRound(tx, roundId, true);
      if (locked.status !== 'open') throw new AppError('CONFLICT', 'the round is closed to contributions', { details: { reason: 'round-closed' } });
      const inserted = await tx
        .insert(encryptedContributions)
        .values({ roundId, department, contributedBy: actor.id, ciphertexts: ciphertexts.map((c) => c.toString(16)) })
        .onConflictDoNothing()
        .returning({ department: encryptedContributions.department });
      if (inserted.length === 0) {
        throw new AppError('CONFLICT', 'this department has already contributed to the round', { details: { reason: 'duplicate-contribution' } });
      }
      const [after] = await tx
        .update(encryptedRounds)
        .set({ contributions: sql`${encryptedRounds.contributions} + 1` })
        .where(sql`${encryptedRounds.id} = ${roundId}`)
        .returning();
      await recordChange(ctx, tx, 'encrypted_statistics.contribution.accepted', `encrypted-round:${roundId}`, { department, ciphertexts: ciphertexts.length, vectorLength: layout.vectorLength, contributions: after!.contributions });
      return toRoundView(tx, after!);
    });
  });
}
