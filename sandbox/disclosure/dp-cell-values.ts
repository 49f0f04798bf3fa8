// The noisy value of every cell of one DP table, by the table's kind: counts and sums with Gaussian noise, means and
// variances from noisy centred moments, quantiles (min and max too) from a noisy tree over the declared bounds. Each
// value carries its 95 % interval and, for totals, its noisy parts and their variances. Cells a group did not select
// get no value (only counts are noised for every cell: they decide selection).
import { gaussianNoiserRho, type Interval, noisyTree, type Noiser, type RandomSource, ratio, simulated, symmetric, treeLevels, treeQuantile } from '../dp/index.ts';
import type { AggregateTable, TableCell } from '../reduce/index.ts';

/** What a total is summed from, per cell: the noisy sum and count and their variances. */
export interface NoisyParts {
  readonly s: number;
  readonly n: number;
  readonly vs: number;
  readonly vn: number;
}

export interface NoisyCells {
  readonly values: (number | null)[];
  readonly intervals: (Interval | null)[];
  readonly parts: NoisyParts[];
  /** the sd of the table's main noise */
  readonly sd: number;
}

export interface GroupPeople {
  /** the group's noisy count of people per cell, and the noiser that made it */
  readonly people: readonly number[];
  readonly peopleNoiser: Noiser;
  readonly selected: (i: number) => boolean;
  /** whether this table is the group's count of people (its values are `people`) */
  readonly isPeopleCount: boolean;
}

/** `cells[i]` indexes the table's cells, or is null where a declared combination has no rows. */
export function noisyCellValues(table: AggregateTable, cells: readonly (number | null)[], group: GroupPeople, rho: number, k: number, rngIn: RandomSource): NoisyCells {
  const n = cells.length;
  const cell = (i: number): TableCell | null => (cells[i] === null ? null : table.cells[cells[i]!]!);
  const bounds = table.bounds;
  const { people, peopleNoiser, selected, isPeopleCount } = group;
  const values: (number | null)[] = new Array(n).fill(null);
  const intervals: (Interval | null)[] = new Array(n).fill(null);
  const parts: NoisyParts[] = new Array(n);
  let sd = 0;
  switch (table.kind) {
    case 'count': {
      const noiser = isPeopleCount ? peopleNoiser : gaussianNoiserRho({ sensitivity: table.countOf === 'contributors' ? Math.sqrt(k) : k, rho, integer: true });
      sd = noiser.sd;
      for (let i = 0; i < n; i++) {
        const v = isPeopleCount ? people[i]! : noiser.add(cell(i)?.value ?? 0, rngIn);
        values[i] = Math.max(0, v);
        intervals[i] = symmetric(v, sd, { min: 0 });
        parts[i] = { s: v, n: 0, vs: sd * sd, vn: 0 };
      }
      break;
    }
    case 'sum': {
      const noiser = gaussianNoiserRho({ sensitivity: k * Math.max(Math.abs(bounds!.lo), Math.abs(bounds!.hi)), rho, integer: false, cellsTouched: k });
      sd = noiser.sd;
      for (let i = 0; i < n; i++) {
        if (!selected(i)) continue;
        const v = noiser.add(cell(i)?.sum ?? 0, rngIn);
        values[i] = v;
        intervals[i] = symmetric(v, sd);
        parts[i] = { s: v, n: 0, vs: sd * sd, vn: 0 };
      }
      break;
    }
    case 'mean':
    case 'variance': {
      const { lo, hi } = bounds!;
      const mid = (lo + hi) / 2;
      const half = (hi - lo) / 2;
      const nNoiser = gaussianNoiserRho({ sensitivity: k, rho, integer: true });
      const sNoiser = gaussianNoiserRho({ sensitivity: k * half, rho, integer: false, cellsTouched: k });
      const qNoiser = table.kind === 'variance' ? gaussianNoiserRho({ sensitivity: k * half * half, rho, integer: false, cellsTouched: k }) : null;
      sd = sNoiser.sd;
      for (let i = 0; i < n; i++) {
        if (!selected(i)) continue;
        const c = cell(i);
        const count = c?.n ?? 0;
        const sum = c ? c.sum : 0;
        const centred = count > 0 ? sum - mid * count : 0;
        const N = nNoiser.add(count, rngIn);
        const S = sNoiser.add(centred, rngIn);
        parts[i] = { s: S, n: N, vs: sNoiser.sd ** 2, vn: nNoiser.sd ** 2 };
        if (table.kind === 'mean') {
          if (N < 1) continue;
          const mean = Math.min(hi, Math.max(lo, mid + S / N));
          values[i] = mean;
          intervals[i] = ratio(mean, N, sNoiser.sd, nNoiser.sd, mid, bounds!);
        } else {
          // Σ(x − mid)² = (n − 1)·var + n·(x̄ − mid)², from the cell's exact variance, sum and count
          const xbar = count > 0 ? sum / count : mid;
          const q = count > 1 ? (count - 1) * (Number.isFinite(c!.value) ? c!.value : 0) + count * (xbar - mid) ** 2 : count * (xbar - mid) ** 2;
          const Q = qNoiser!.add(q, rngIn);
          const variance = (x: readonly number[]) => (x[0]! > 1 ? Math.min(half * half * 4, Math.max(0, (x[2]! - (x[1]! * x[1]!) / x[0]!) / (x[0]! - 1))) : NaN);
          const v = variance([N, S, Q]);
          if (!Number.isFinite(v)) continue;
          values[i] = v;
          intervals[i] = simulated([N, S, Q], [nNoiser.sd, sNoiser.sd, qNoiser!.sd], variance, 200, i + 1);
        }
      }
      break;
    }
    case 'quantile':
    case 'min':
    case 'max': {
      const { lo, hi } = bounds!;
      const bins = table.histograms!.bins;
      const noiser = gaussianNoiserRho({ sensitivity: k * Math.sqrt(treeLevels(bins)), rho, integer: true });
      sd = noiser.sd;
      const p = table.kind === 'min' ? 0 : table.kind === 'max' ? 1 : table.prob!;
      for (let i = 0; i < n; i++) {
        if (!selected(i)) continue;
        const at = cells[i];
        const counts = at === null ? new Float64Array(bins) : table.histograms!.counts.subarray(at! * bins, (at! + 1) * bins);
        const q = treeQuantile(noisyTree(counts, noiser, rngIn), p, lo, hi);
        if (!Number.isFinite(q.value)) continue;
        values[i] = q.value;
        intervals[i] = q.interval;
      }
      break;
    }
  }

  return { values, intervals, parts, sd };
}
