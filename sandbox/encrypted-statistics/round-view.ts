// A round as staff see it: public key, layout, who has contributed (departments, never values), the released table.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { paillier, type PaillierPublicKey } from '../../crypto/index.ts';
import { disclosureRulesForGrade, type GradeLabel } from '../../policies/index.ts';
import type { Db } from '../../store/index.ts';
import { roundLayout, type RoundLayout } from './layout.ts';
import { encryptedContributions, encryptedRounds, type ReleasedRound, type RoundStatus } from './schema.ts';
import { roundIdSchema } from './schemas.ts';

export type RoundRow = typeof encryptedRounds.$inferSelect;

export interface RoundView {
  id: string;
  title: string;
  status: RoundStatus;
  custodianId: string;
  departments: string[];
  minDepartments: number;
  contributed: string[];
  rules: { grade: string; minCellCount: number; roundingBase: number };
  layout: { cells: string[]; sums: string[]; valueBits: number; vectorLength: number; slotBits: number; slotsPerPlaintext: number; ciphertexts: number };
  publicKey: string;
  keyId: string;
  released: ReleasedRound | null;
  createdAt: string;
  closedAt: string | null;
  releasedAt: string | null;
}

/** The round's public key as stored (checked when the round was opened). */
export function roundKey(row: RoundRow): PaillierPublicKey {
  return paillier.deserializePublicKey(row.publicKey);
}

export function layoutOf(row: RoundRow, key = roundKey(row)): RoundLayout {
  return roundLayout(key, row.layout, row.departments.length);
}

export function rulesOf(grade: string): RoundView['rules'] {
  const rules = disclosureRulesForGrade(grade as GradeLabel);
  return { grade, minCellCount: rules.minCellCount, roundingBase: rules.roundingBase };
}

/** Throws NOT_FOUND for an unknown or malformed id (BAD_REQUEST would tell ids apart from rounds). */
export async function findRound(db: Db, id: string, lock = false): Promise<RoundRow> {
  if (!roundIdSchema.safeParse(id).success) throw new AppError('NOT_FOUND', 'no encrypted-statistics round with this id');
  const query = db.select().from(encryptedRounds).where(eq(encryptedRounds.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', 'no encrypted-statistics round with this id');
  return row;
}

export async function toRoundView(db: Db, row: RoundRow): Promise<RoundView> {
  const contributed = await db
    .select({ department: encryptedContributions.department })
    .from(encryptedContributions)
    .where(eq(encryptedContributions.roundId, row.id));
  const layout = layoutOf(row);
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    custodianId: row.custodianId,
    departments: row.departments,
    minDepartments: row.minDepartments,
    contributed: contributed.map((c) => c.department).sort(),
    rules: rulesOf(row.grade),
    layout: {
      cells: layout.cells,
      sums: layout.sums,
      valueBits: layout.valueBits,
      vectorLength: layout.vectorLength,
      slotBits: layout.packing.slotBits,
      slotsPerPlaintext: layout.packing.slotsPerPlaintext,
      ciphertexts: layout.ciphertexts,
    },
    publicKey: row.publicKey,
    keyId: row.keyId,
    released: row.released,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    releasedAt: row.releasedAt?.toISOString() ?? null,
  };
}
