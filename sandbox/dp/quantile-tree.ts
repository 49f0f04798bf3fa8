// DP quantiles from a noisy binary tree over a histogram (the "hierarchical histogram" of Hay et al. 2010, Qardaji
// et al. 2013): each row counts once on every level, so one contributor of k rows moves at most k·√(levels) in L2.
// Any prefix count is a sum of at most one node per level, so quantiles, their intervals, min and max are all read
// off one noisy tree: one ρ charge for every quantile of a table, and intervals come free (post-processing).
import type { Noiser } from './mechanisms.ts';
import type { RandomSource } from './random.ts';

export interface NoisyTree {
  readonly bins: number;
  /** levels[0] is the root (1 node), levels[L] the leaves (bins nodes) */
  readonly levels: readonly Float64Array[];
  /** standard deviation of one node's noise */
  readonly sd: number;
}

/** Levels of a tree over `bins` leaves (a power of two), root included. */
export const treeLevels = (bins: number): number => Math.log2(bins) + 1;

/** Noises every node of the tree over `counts` (leaf counts) with `noiser` (integer, sensitivity k·√levels). */
export function noisyTree(counts: Float64Array, noiser: Noiser, rng?: RandomSource): NoisyTree {
  const bins = counts.length;
  const L = Math.log2(bins);
  if (!Number.isInteger(L) || L < 1) throw new TypeError('the tree needs a power-of-two number of leaves, at least 2');
  const exact: Float64Array[] = [Float64Array.from(counts)];
  for (let width = bins / 2; width >= 1; width /= 2) {
    const below = exact[0]!;
    const level = new Float64Array(width);
    for (let j = 0; j < width; j++) level[j] = below[2 * j]! + below[2 * j + 1]!;
    exact.unshift(level);
  }
  return { bins, levels: exact.map((level) => level.map((c) => noiser.add(c, rng))), sd: noiser.sd };
}

/** The noisy count of leaves [0, b) and how many nodes it sums (its variance is nodes·sd²). */
export function prefixCount(tree: NoisyTree, b: number): { value: number; nodes: number } {
  let value = 0;
  let nodes = 0;
  const L = tree.levels.length - 1;
  // walk the binary expansion of b: a node of width 2^(L - d) for each set bit
  let start = 0;
  for (let d = 0; d <= L; d++) {
    const width = tree.bins >> d;
    if (start + width <= b) {
      value += tree.levels[d]![start / width]!;
      nodes++;
      start += width;
    }
  }
  return { value, nodes };
}

export interface TreeQuantile {
  /** the estimate, in value units; NaN when the tree holds (noisily) no rows */
  readonly value: number;
  /** a 95 % interval for the quantile of the (clamped) data, from the noise alone */
  readonly interval: readonly [number, number] | null;
  /** the root: the noisy number of rows */
  readonly rows: number;
}

/**
 * The p-quantile of the rows under the tree, over [lo, hi]. p = 0 and p = 1 (min and max) read the first and last
 * points where a noise-resistant share of rows lies below (above): a DP minimum is never one person's exact value.
 */
export function treeQuantile(tree: NoisyTree, p: number, lo: number, hi: number, z = 1.96): TreeQuantile {
  const rows = tree.levels[0]![0]!;
  if (!(rows >= 1)) return { value: NaN, interval: null, rows };
  const B = tree.bins;
  const width = (hi - lo) / B;
  const F = new Float64Array(B + 1);
  const sd = new Float64Array(B + 1);
  for (let b = 1; b <= B; b++) {
    const { value, nodes } = prefixCount(tree, b);
    F[b] = value;
    sd[b] = Math.sqrt(nodes) * tree.sd;
  }
  // min and max aim one noise sd of rows in from the ends: closer, and the estimate is mostly noise
  const margin = tree.sd * Math.sqrt(tree.levels.length);
  const target = Math.min(Math.max(p * rows, margin), rows - margin);
  // the first b at which a (shifted) prefix count reaches the target; B when none does
  const first = (shift: (b: number) => number): number => {
    for (let b = 1; b <= B; b++) if (F[b]! + shift(b) >= target) return b;
    return B;
  };
  const at = first(() => 0);
  const low = first((b) => z * sd[b]!);
  const high = first((b) => -z * sd[b]!);
  return { value: lo + (at - 0.5) * width, interval: [lo + (low - 1) * width, lo + Math.min(B, high) * width], rows };
}
