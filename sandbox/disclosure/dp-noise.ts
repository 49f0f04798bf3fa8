// Differential-privacy noise on released tables. Counts, sums and means are noised (a mean as a noisy sum over a
// noisy count); totals are sums of the noisy cells, so they cost no extra budget and stay consistent with the cells.

import type { AggregateTable } from '../reduce/index.ts';
import { gaussianNoiser, laplaceNoiser, type Noiser } from '../dp/index.ts';
import type { RandomSource } from '../dp/index.ts';
import { tableEntries } from './table-entries.ts';

export type DpMechanism = 'laplace' | 'gaussian';

/** Shares of the job's ε a table takes: 1 per noised statistic (a mean needs two: sum and count). */
export function dpUnits(table: AggregateTable): number {
  return table.kind === 'count' || table.kind === 'sum' ? 1 : table.kind === 'mean' ? 2 : 0;
}

/** Why a table cannot be noised, or null: sums and means need declared bounds; all need a per-contributor row cap. */
export function dpObstacle(table: AggregateTable): 'no_bounds' | 'unbounded_contributions' | null {
  if (dpUnits(table) === 0) return null;
  if (table.rowsPerContributor === null) return 'unbounded_contributions';
  if (table.kind !== 'count' && !table.bounds) return 'no_bounds';
  return null;
}

export interface NoiseShare {
  readonly mechanism: DpMechanism;
  /** ε and δ of one unit (see dpUnits) */
  readonly epsilon: number;
  readonly delta: number;
}

/**
 * Noisy values of a table's entries, in entry order (NaN: undefined, e.g. a mean over a noisy count below 1), and the
 * noise's standard deviation. Sensitivities, with k = rows one contributor may have: counts L1 = k (L2 = √k when
 * counting contributors, k when counting rows); sums L1 = L2 = k·max(|lo|, |hi|).
 * Throws TypeError for a table dpObstacle refuses.
 */
export function noisyEntries(table: AggregateTable, share: NoiseShare, rng: RandomSource): { values: number[]; sd: number } {
  if (dpObstacle(table) !== null || dpUnits(table) === 0) throw new TypeError('this table cannot be noised');
  const k = table.rowsPerContributor!;
  const make = (l1: number, l2: number, integer: boolean): Noiser =>
    share.mechanism === 'laplace'
      ? laplaceNoiser({ sensitivity: l1, epsilon: share.epsilon, integer, cellsTouched: k })
      : gaussianNoiser({ sensitivity: l2, epsilon: share.epsilon, delta: share.delta, integer, cellsTouched: k });
  const cells = table.cells;
  let cellValues: number[];
  let sd: number;
  let totals: (members: readonly number[]) => number;
  if (table.kind === 'count') {
    const noiser = make(k, table.countOf === 'contributors' ? Math.sqrt(k) : k, true);
    cellValues = cells.map((c) => noiser.add(c.value, rng));
    sd = noiser.sd;
    totals = (members) => Math.max(0, members.reduce((s, i) => s + cellValues[i]!, 0));
  } else {
    const bound = Math.max(Math.abs(table.bounds!.lo), Math.abs(table.bounds!.hi));
    const sumNoiser = make(k * bound, k * bound, false);
    const sums = cells.map((c) => sumNoiser.add(c.sum, rng));
    if (table.kind === 'sum') {
      cellValues = sums;
      sd = sumNoiser.sd;
      totals = (members) => members.reduce((s, i) => s + sums[i]!, 0);
    } else {
      const nNoiser = make(k, k, true);
      const ns = cells.map((c) => nNoiser.add(c.n, rng));
      const { lo, hi } = table.bounds!;
      const mean = (s: number, n: number): number => (n >= 1 ? Math.min(hi, Math.max(lo, s / n)) : NaN);
      cellValues = sums.map((s, i) => mean(s, ns[i]!));
      sd = sumNoiser.sd;
      totals = (members) => mean(members.reduce((s, i) => s + sums[i]!, 0), members.reduce((s, i) => s + ns[i]!, 0));
    }
  }
  const all = cells.map((_, i) => i);
  const out = table.kind === 'count' ? cellValues.map((v) => Math.max(0, v)) : [...cellValues];
  const entries = tableEntries(table).length;
  if (entries > cells.length) {
    if (table.layout === 'one-way') out.push(totals(all));
    else {
      const I = table.rowLabels!.length;
      const J = table.columnLabels!.length;
      for (let r = 0; r < I; r++) out.push(totals(Array.from({ length: J }, (_, c) => r * J + c)));
      for (let c = 0; c < J; c++) out.push(totals(Array.from({ length: I }, (_, r) => r * J + c)));
      out.push(totals(all));
    }
  }
  return { values: out, sd };
}
