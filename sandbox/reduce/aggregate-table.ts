// The aggregate tables trusted reduction hands to output disclosure control: every number in them computed by the
// platform from what the job emitted, with the contributor counts, top contributions and population sketches the
// checks need.

import type { Bounds } from './clamp.ts';
import type { LeafHistograms } from './leaf-histograms.ts';
import type { PopulationSketch } from './population-sketch.ts';

/** The statistics a table can hold (AggregateKind of the policies, less model_fit). */
export type TableKind = 'count' | 'sum' | 'mean' | 'variance' | 'quantile' | 'min' | 'max';

/** 'flat': cells only; 'one-way': one key and a total; 'two-way': two keys, row, column and grand totals. */
export type TableLayout = 'flat' | 'one-way' | 'two-way';

export interface TableCell {
  /** one label per dimension (a total has fewer: [] for the grand total, [row] or [column] for a margin) */
  readonly labels: readonly (string | null)[];
  /** distinct contributors with a value, counted by the platform: what the small-cell rule tests */
  readonly contributors: number;
  /** the statistic; NaN when undefined (no value in the cell) */
  readonly value: number;
  /** rows with a value */
  readonly n: number;
  /** sum and mean tables: the (clamped) sum; otherwise NaN */
  readonly sum: number;
  /** sum and mean tables: the largest and second-largest contributor's |total|, and Σ|total|; otherwise 0 */
  readonly top1: number;
  readonly top2: number;
  readonly magnitude: number;
  /** the contributors' sketch for the differencing check, when built */
  readonly sketch: PopulationSketch | null;
  /** quantile tables built with keepQuantileValues: the cell's (clamped) values, so chunks merge exactly */
  readonly values?: Float64Array;
}

export interface TableTotals {
  readonly all: TableCell;
  /** two-way only: one per row label, then one per column label */
  readonly rows: readonly TableCell[] | null;
  readonly columns: readonly TableCell[] | null;
}

export interface AggregateTable {
  /** the job's name for this output */
  readonly name: string;
  /** the dataset the rows come from (budget and differencing ledgers are per dataset) */
  readonly dataset: string;
  readonly kind: TableKind;
  /** names of the dimensions (keys, or binned measures) */
  readonly dims: readonly string[];
  readonly measure: string | null;
  /** quantile tables: the probability */
  readonly prob: number | null;
  /** declared bounds the measure was clamped into (needed for DP on sums and means) */
  readonly bounds: Bounds | null;
  /** count tables: whether the value counts contributors or rows */
  readonly countOf: 'contributors' | 'rows' | null;
  /** the most rows one contributor can have in the table (DP sensitivity); null = unbounded */
  readonly rowsPerContributor: number | null;
  readonly layout: TableLayout;
  /** one per group; two-way: the full product rowLabels × columnLabels, row-major (empty combinations included) */
  readonly cells: readonly TableCell[];
  /** tables of two dimensions: the labels of each */
  readonly rowLabels: readonly (string | null)[] | null;
  readonly columnLabels: readonly (string | null)[] | null;
  readonly totals: TableTotals | null;
  /** values moved into the bounds */
  readonly clamped: number;
  /** rows left out (missing key, no contributor id, over the per-contributor cap) */
  readonly excludedRows: number;
  /** quantile, min and max tables built with histogramBins: per cell (not totals), counts of values per bin */
  readonly histograms?: LeafHistograms | null;
}
