// How a round's statistics become one vector of integers, packed into Paillier plaintexts: shared by the platform,
// the departments' and the custodian's helpers, so both sides agree on positions.
import { AppError } from '../../errors/index.ts';
import { paillier, type PaillierPublicKey } from '../../crypto/index.ts';
import type { RoundLayoutRecord } from './schema.ts';

export interface RoundLayout extends RoundLayoutRecord {
  /** cells × (1 + sums): the counts of every cell, then each sum's cells */
  vectorLength: number;
  packing: paillier.PackingLayout;
  /** Paillier ciphertexts per contribution */
  ciphertexts: number;
}

/**
 * The packed layout of a round for a key and a number of invited departments (the headroom of each slot).
 * Throws VALIDATION_FAILED when a total could exceed 2^53 (released values are JSON numbers).
 */
export function roundLayout(publicKey: PaillierPublicKey, record: RoundLayoutRecord, departments: number): RoundLayout {
  const packing = paillier.packingLayout(publicKey.n, record.valueBits, departments);
  // a slot holds the sum over departments; the platform also adds up a statistic's cells for the table total
  if (packing.slotBits + Math.ceil(Math.log2(record.cells.length + 1)) > 53) {
    throw new AppError('VALIDATION_FAILED', 'valueBits too large for this many departments and cells: totals would exceed 2^53', {
      details: { reason: 'layout-too-large' },
    });
  }
  const vectorLength = record.cells.length * (1 + record.sums.length);
  return { ...record, vectorLength, packing, ciphertexts: Math.ceil(vectorLength / packing.slotsPerPlaintext) };
}

/** The vector of a department's figures: counts per cell, then each sum per cell. Throws TypeError on a bad shape. */
export function flattenFigures(layout: RoundLayoutRecord, figures: { counts: readonly number[]; sums?: Readonly<Record<string, readonly number[]>> }): number[] {
  const n = layout.cells.length;
  if (figures.counts.length !== n) throw new TypeError('one count per cell is needed');
  const out = [...figures.counts];
  for (const name of layout.sums) {
    const values = figures.sums?.[name];
    if (!values || values.length !== n) throw new TypeError(`one value per cell is needed for sum "${name}"`);
    out.push(...values);
  }
  return out;
}
