// The dominance rule for sums (and means): a cell where the largest contributors hold most of the total reveals them,
// however many contributors it has — the second largest can subtract its own value and learn the largest.

export interface DominanceRule {
  /** how many of the largest contributors are taken together (2: the second can estimate the first) */
  readonly n: 2;
  /** the share of the cell total they may hold at most, exclusive (0.9: flagged from 90 % up) */
  readonly k: number;
}

/** The usual (2, 90 %) rule. */
export const DOMINANCE_RULE: DominanceRule = { n: 2, k: 0.9 };

export interface DominanceTop2 {
  /** largest and second-largest contributor's |total| in the cell */
  readonly top1: number;
  readonly top2: number;
  /** Σ over contributors of |total| (the cell total for non-negative values) */
  readonly total: number;
}

/**
 * Whether the top two contributors hold at least k of the cell's total: `dominated` true means suppress the cell.
 * A cell with a zero total is not dominated (there is nothing to reveal). Throws TypeError for negative inputs or a
 * rule share outside (0, 1].
 */
export function dominance(cell: DominanceTop2, rule: DominanceRule = DOMINANCE_RULE): { readonly dominated: boolean; readonly share: number } {
  const { top1, top2, total } = cell;
  if (!(top1 >= 0 && top2 >= 0 && total >= 0)) throw new TypeError('contributions must be non-negative magnitudes');
  if (!(rule.k > 0 && rule.k <= 1)) throw new TypeError('the dominance share must be in (0, 1]');
  if (total === 0) return { dominated: false, share: 0 };
  const share = Math.min(1, (top1 + top2) / total);
  return { dominated: share >= rule.k, share };
}
