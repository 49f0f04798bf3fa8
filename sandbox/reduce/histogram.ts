// Histograms: a measure binned by given edges, as a key column (to group or cross-tabulate by) or as counts.

import { distinctPerGroup, type Contributors, contributorsFromRows } from './contributors.ts';
import { checkMeasure, invalidEmission, type KeyColumn } from './emitted.ts';

/** Throws AppError VALIDATION_FAILED unless the edges are finite and strictly ascending (at least one). */
export function checkEdges(edges: readonly number[]): readonly number[] {
  if (edges.length === 0) throw invalidEmission('histogram edges must not be empty');
  for (let k = 0; k < edges.length; k++) {
    if (!Number.isFinite(edges[k]!) || (k > 0 && !(edges[k]! > edges[k - 1]!))) throw invalidEmission('histogram edges must be finite and strictly ascending');
  }
  return edges;
}

/** Labels of the bins of `edges`: `<e0`, `[e0,e1)`, …, `≥ek`, as policies' bucketer writes them. */
export function binLabels(edges: readonly number[]): string[] {
  const labels = [`<${edges[0]}`];
  for (let k = 0; k + 1 < edges.length; k++) labels.push(`[${edges[k]},${edges[k + 1]})`);
  labels.push(`≥${edges[edges.length - 1]}`);
  return labels;
}

/** The bin of each value as a key column (code k = number of edges <= value); missing values stay missing. */
export function binColumn(values: Float64Array, edges: readonly number[]): KeyColumn {
  checkEdges(edges);
  const codes = new Int32Array(values.length);
  const e = Float64Array.from(edges);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      codes[i] = -1;
      continue;
    }
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  return { codes, dictionary: binLabels(edges) };
}

export interface Histogram {
  /** one per bin, in edge order, including empty bins */
  readonly labels: readonly string[];
  readonly rows: Int32Array;
  readonly contributors: Int32Array;
}

/** Counts per bin of a measure (rows and distinct contributors). Throws AppError VALIDATION_FAILED for bad input. */
export function histogram(values: Float64Array, edges: readonly number[], options: { readonly contributors?: Contributors } = {}): Histogram {
  const contributors = options.contributors ?? contributorsFromRows(values.length);
  checkMeasure(values, contributors.rows, 'measure');
  const bins = binColumn(values, edges);
  const groupOf = bins.codes;
  if (contributors.of) for (let i = 0; i < groupOf.length; i++) if (contributors.of[i]! < 0) groupOf[i] = -1;
  const rows = new Int32Array(bins.dictionary.length);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i]! >= 0) rows[groupOf[i]!]!++;
  return { labels: bins.dictionary, rows, contributors: distinctPerGroup(groupOf, bins.dictionary.length, contributors) };
}
