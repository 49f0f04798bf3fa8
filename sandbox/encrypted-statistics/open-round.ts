// A key custodian opens a round under their own Paillier public key (the private key stays with them).
import { randomUUID } from 'node:crypto';
import { paillier } from '../../crypto/index.ts';
import { recordChange } from '../../store/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';
import { roundLayout } from './layout.ts';
import { auditRefusal } from './refusal.ts';
import { toRoundView, type RoundView } from './round-view.ts';
import { encryptedRounds } from './schema.ts';
import { openRoundSchema } from './schemas.ts';
import { parseBody, roundEntity, staffActor } from './verb-helpers.ts';

/**
 * Throws FORBIDDEN (Cedar OpenRound: custodians only), VALIDATION_FAILED (bad body; a public key that is not a
 * Paillier key of at least 2048 bits, with `details.reason` from crypto/paillier; a layout whose totals would not fit).
 */
export async function openRound(ctx: EncryptedStatisticsContext, raw: unknown): Promise<RoundView> {
  const id = randomUUID();
  return auditRefusal(ctx, 'encrypted_statistics.round.open', `encrypted-round:${id}`, async () => {
    const actor = staffActor(ctx);
    const input = parseBody(openRoundSchema, raw);
    await ctx.authorize({ action: 'OpenRound', resource: roundEntity({ id, custodianId: actor.id, departments: input.departments }) });
    // refuses other schemes, other format versions and moduli under 2048 bits
    const key = paillier.deserializePublicKey(input.publicKey);
    const record = { cells: input.cells, sums: input.sums, valueBits: input.valueBits };
    const layout = roundLayout(key, record, input.departments.length);
    return ctx.database.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(encryptedRounds)
        .values({
          id,
          title: input.title,
          custodianId: actor.id,
          departments: input.departments,
          minDepartments: input.minDepartments,
          grade: input.grade,
          layout: record,
          publicKey: paillier.serializePublicKey(key),
          keyId: key.keyId,
        })
        .returning();
      await recordChange(ctx, tx, 'encrypted_statistics.round.opened', `encrypted-round:${id}`, { keyId: key.keyId, bits: key.bits, departments: input.departments.length, minDepartments: input.minDepartments, grade: input.grade, vectorLength: layout.vectorLength, ciphertexts: layout.ciphertexts });
      return toRoundView(tx, row!);
    });
  });
}
