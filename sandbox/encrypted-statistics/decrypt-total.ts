// The custodian decrypts the masked total into the platform's disclosure control: the platform checks the
// decryption against the ciphertexts, removes its masks, checks and rounds the table and releases only that.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { paillier } from '../../crypto/index.ts';
import { recordChange } from '../../store/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';
import { auditRefusal } from './refusal.ts';
import { releaseTotal } from './release-total.ts';
import { findRound, layoutOf, roundKey, rulesOf, toRoundView, type RoundRow, type RoundView } from './round-view.ts';
import { encryptedRounds } from './schema.ts';
import { decryptionSchema } from './schemas.ts';
import { parseBody, roundEntity, staffActor } from './verb-helpers.ts';

export interface DecryptionRequest {
  roundId: string;
  keyId: string;
  /** E(total + mask) per packed plaintext, hex; the plaintexts are uniformly random to whoever decrypts them */
  maskedTotal: string[];
}

function notClosed(row: RoundRow): AppError {
  return row.status === 'open'
    ? new AppError('CONFLICT', 'the round is still open: close it first', { details: { reason: 'round-open' } })
    : new AppError('CONFLICT', 'the round total has been released', { details: { reason: 'already-released' } });
}

/** Throws NOT_FOUND; FORBIDDEN (Cedar DecryptTotal: the round's custodian, three contributions or more); CONFLICT. */
export async function getDecryptionRequest(ctx: EncryptedStatisticsContext, roundId: string): Promise<DecryptionRequest> {
  return auditRefusal(ctx, 'encrypted_statistics.decryption_request', `encrypted-round:${roundId}`, async () => {
    staffActor(ctx);
    const round = await findRound(ctx.database.db, roundId);
    await ctx.authorize({ action: 'DecryptTotal', resource: roundEntity(round), context: { contributions: round.contributions } });
    if (round.status !== 'closed' || !round.maskedTotal) throw notClosed(round);
    await ctx.database.db.transaction((tx) =>
      recordChange(ctx, tx, 'encrypted_statistics.decryption.requested', `encrypted-round:${roundId}`, { ciphertexts: round.maskedTotal!.length }),
    );
    return { roundId, keyId: round.keyId, maskedTotal: round.maskedTotal };
  });
}

/**
 * Checks the custodian's decryption (c = g^m · r^n mod n² for each masked ciphertext), unmasks, applies disclosure
 * control and stores only the released table; the masks are dropped with the release.
 * Throws NOT_FOUND; FORBIDDEN; VALIDATION_FAILED with reason bad-body, wrong-length or decryption-mismatch;
 * CONFLICT with reason round-open or already-released.
 */
export async function decryptTotal(ctx: EncryptedStatisticsContext, roundId: string, raw: unknown): Promise<RoundView> {
  return auditRefusal(ctx, 'encrypted_statistics.decryption', `encrypted-round:${roundId}`, async () => {
    staffActor(ctx);
    const round = await findRound(ctx.database.db, roundId);
    await ctx.authorize({ action: 'DecryptTotal', resource: roundEntity(round), context: { contributions: round.contributions } });
    const input = parseBody(decryptionSchema, raw);
    return ctx.database.db.transaction(async (tx) => {
      const locked = await findRound(tx, roundId, true);
      if (locked.status !== 'closed' || !locked.maskedTotal || !locked.masks) throw notClosed(locked);
      const key = roundKey(locked);
      const layout = layoutOf(locked, key);
      const width = locked.maskedTotal.length;
      if (input.plaintexts.length !== width || input.randomness.length !== width) {
        throw new AppError('VALIDATION_FAILED', `the decryption needs ${width} plaintext(s) and as many randomness values`, { details: { reason: 'wrong-length', expected: width } });
      }
      const unmasked = locked.maskedTotal.map((hex, k) => {
        const m = BigInt('0x' + input.plaintexts[k]!);
        const r = BigInt('0x' + input.randomness[k]!);
        let matches = false;
        try {
          matches = m < key.n && key.encrypt(m, { r }) === BigInt('0x' + hex);
        } catch {
          matches = false; // r out of range or not a unit
        }
        if (!matches) throw new AppError('VALIDATION_FAILED', 'the decryption does not match the masked total', { details: { reason: 'decryption-mismatch', ciphertext: k } });
        return (((m - BigInt('0x' + locked.masks![k]!)) % key.n) + key.n) % key.n;
      });
      const values = paillier.unpackVector(unmasked, layout.packing, layout.vectorLength).map(Number);
      const released = releaseTotal(layout, values, rulesOf(locked.grade));
      const withheld = released.statistics[0]!.cells.filter((c) => c.withheld !== null).length;
      const now = new Date();
      const [after] = await tx
        .update(encryptedRounds)
        .set({ status: 'released', released, releasedAt: now, maskedTotal: null, masks: null })
        .where(eq(encryptedRounds.id, roundId))
        .returning();
      await recordChange(ctx, tx, 'encrypted_statistics.total.decrypted', `encrypted-round:${roundId}`, {
        contributions: locked.contributions,
        vectorLength: layout.vectorLength,
        ciphertexts: width,
        checks: { grade: locked.grade, primary: released.suppression.primary, secondary: released.suppression.secondary, withheldCells: withheld, roundingBase: released.rules.roundingBase },
        outcome: 'released',
      });
      return toRoundView(tx, after!);
    });
  });
}
