// Small helpers the round verbs share: the staff actor, zod failures as VALIDATION_FAILED, the round's Cedar entity.
import type { z } from 'zod';
import { AppError } from '../../errors/index.ts';
import { encryptedRoundEntity, type EntitySlice } from '../../policies/index.ts';
import type { EncryptedStatisticsContext } from './context.ts';
import type { RoundRow } from './round-view.ts';

export type StaffActor = Extract<EncryptedStatisticsContext['actor'], { type: 'staff' }>;

export function staffActor(ctx: EncryptedStatisticsContext): StaffActor {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'encrypted statistics are for staff');
  return ctx.actor;
}

/** Throws VALIDATION_FAILED naming the paths of the problems (never the values). */
export function parseBody<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid request body', {
      details: { reason: 'bad-body', issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

export function roundEntity(row: Pick<RoundRow, 'id' | 'custodianId' | 'departments'>): EntitySlice {
  return encryptedRoundEntity({ id: row.id, custodianId: row.custodianId, departments: row.departments });
}
