// The differencing check: two released cells whose populations differ by a few contributors give those few away
// (total of district X, then total of district X less one person). Populations are compared as sets, through the
// population sketches of the platform's own contributor ids, so relabelling groups or rewording filters cannot hide a pair.

import { type PopulationSketch, type SketchDifference, sketchDifference, sketchDistanceBound } from '../reduce/index.ts';

/**
 * A released cell, as kept in the ledger of released cells per dataset, across jobs and operators.
 * Storage format: the sketch as sketchToBytes; labels as JSON.
 */
export interface ReleasedCellRecord {
  readonly dataset: string;
  readonly jobId: string;
  readonly output: string;
  readonly labels: readonly (string | null)[];
  /** distinct contributors in the cell */
  readonly population: number;
  readonly sketch: PopulationSketch;
  /** withheld when it was checked: releasing the same population later would give its value away */
  readonly withheld?: boolean;
}

/** A cell about to be released. */
export interface CandidateCell {
  readonly dataset: string;
  readonly output: string;
  readonly labels: readonly (string | null)[];
  readonly population: number;
  /** null: cannot be checked (no sketch was built) */
  readonly sketch: PopulationSketch | null;
}

export interface DifferencingHit {
  /** index into the candidates */
  readonly candidate: number;
  /** the earlier cell it differs from by a few: a ledger record, or another candidate (of another output) */
  readonly against: { readonly ledger: number } | { readonly candidate: number };
  /** contributors in exactly one of the two populations: 1..threshold-1, or an estimate below 1.5 × threshold when the sketches could not resolve it */
  readonly difference: number;
  readonly exact: boolean;
}

export interface DifferencingResult {
  /** candidate indexes to withhold */
  readonly blocked: readonly number[];
  readonly hits: readonly DifferencingHit[];
  /** candidates without a sketch */
  readonly unchecked: number;
}

/**
 * Flags a candidate when, on the same dataset, an earlier released cell (in the ledger) or another output's candidate
 * has a population whose symmetric difference with its own is 1..threshold-1 contributors: that difference would be a
 * cell below the threshold, published by subtraction. Equal populations (the same cell again) are fine, unless the
 * earlier cell was withheld: then releasing it now would undo the withholding (0..threshold-1 flags). When the
 * sketches cannot resolve a difference (rare below 50), an estimate under 1.5 × the threshold flags it too. Of two
 * candidates the later one is blocked. Only pairs whose sizes differ by less than the threshold are compared (the
 * symmetric difference is at least the size difference), found by binary search over the ledger sorted by size.
 * The ledger passed may be pre-filtered by the store to the dataset and population window. Pure.
 * Throws TypeError for a threshold below 1.
 */
export function differencingCheck(ledger: readonly ReleasedCellRecord[], candidates: readonly CandidateCell[], threshold: number): DifferencingResult {
  if (!Number.isInteger(threshold) || threshold < 1) throw new TypeError('threshold must be a positive integer');
  const byPopulation = ledger.map((_, k) => k).sort((a, b) => ledger[a]!.population - ledger[b]!.population);
  const firstAtLeast = (p: number): number => {
    let lo = 0;
    let hi = byPopulation.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ledger[byPopulation[mid]!]!.population < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Resolved: flag 1..threshold-1 (0 too against a withheld cell). Unresolved (rare below ~50): flag when the estimate
  // is under 1.5 × the threshold.
  const close = (d: SketchDifference, withheld = false): boolean => (d.exact ? d.size >= (withheld ? 0 : 1) && d.size < threshold : d.size < 1.5 * threshold);
  const compare = (a: PopulationSketch, b: PopulationSketch): SketchDifference | null =>
    sketchDistanceBound(a, b) >= 1.5 * threshold ? null : sketchDifference(a, b);
  const hits: DifferencingHit[] = [];
  const blocked = new Set<number>();
  let unchecked = 0;
  // Candidates sorted by population too, to compare each only with those of similar size.
  const order = candidates.map((_, k) => k).sort((a, b) => candidates[a]!.population - candidates[b]!.population);
  candidates.forEach((cand, c) => {
    if (!cand.sketch) {
      unchecked++;
      return;
    }
    for (let k = firstAtLeast(cand.population - threshold + 1); k < byPopulation.length; k++) {
      const record = ledger[byPopulation[k]!]!;
      if (record.population > cand.population + threshold - 1) break;
      if (record.dataset !== cand.dataset) continue;
      const d = compare(cand.sketch, record.sketch);
      if (d && close(d, record.withheld === true)) {
        hits.push({ candidate: c, against: { ledger: byPopulation[k]! }, difference: d.size, exact: d.exact });
        blocked.add(c);
      }
    }
  });
  order.forEach((c, position) => {
    const cand = candidates[c]!;
    if (!cand.sketch) return;
    // the earlier candidate (lower index) of a close pair is kept, the later one blocked
    for (let q = position + 1; q < order.length; q++) {
      const other = candidates[order[q]!]!;
      if (other.population - cand.population >= threshold) break;
      if (!other.sketch || other.dataset !== cand.dataset || other.output === cand.output) continue;
      const d = compare(cand.sketch, other.sketch);
      if (!d || !close(d)) continue;
      const [earlier, later] = c < order[q]! ? [c, order[q]!] : [order[q]!, c];
      hits.push({ candidate: later, against: { candidate: earlier }, difference: d.size, exact: d.exact });
      blocked.add(later);
    }
  });
  return { blocked: [...blocked].sort((a, b) => a - b), hits, unchecked };
}
