// What every synthetic dataset module provides, and the validation of generation options they share.

import type { DatasetDefinition, Row } from '../../store/index.ts';
import { normalizeSeed } from '../random.ts';

export interface GenerateOptions {
  /** number of rows to produce, 0 to MAX_ROWS */
  rows: number;
  /** same seed, same rows; `42` and `'42'` are the same seed */
  seed: string | number;
}

export interface DatasetModule {
  readonly definition: DatasetDefinition;
  /** Streams `rows` rows; row i depends only on the seed and i, so a prefix of a longer run equals a shorter run. */
  generate(options: GenerateOptions): Generator<Row, void, undefined>;
  /**
   * For datasets that refer to others: how many rows of each referenced dataset (by code, same seed) contain every
   * person or entity the first `options.rows` rows refer to. Costs about as much as generating those rows.
   */
  linkedRowsNeeded?(options: GenerateOptions): Readonly<Record<string, number>>;
}

/** Upper bound on rows per run: beyond it ID spaces (8-digit serials in visit and record IDs) would repeat. */
export const MAX_ROWS = 100_000_000;

/** Validated options with the seed in canonical text form; throws RangeError on bad input. */
export function checkOptions(options: GenerateOptions): { rows: number; seed: string } {
  const { rows } = options;
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new RangeError(`rows must be an integer from 0 to ${MAX_ROWS}, got ${String(rows)}`);
  }
  return { rows, seed: normalizeSeed(options.seed) };
}

/** Rounds to cents; amounts are carried as numbers with at most two decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The day all datasets are "as of": ages, closing dates and periods are computed against it, never against the clock. */
export const REFERENCE_YEAR = 2024;
