// From what a job emitted and the outputs it asked for, to aggregate tables: the one place the worker calls to reduce.

import { type Bounds, checkBounds, prepareValues } from './clamp.ts';
import { type Contributors, contributorsFromRows, distinctPerGroup } from './contributors.ts';
import { type CrossGrouping, countByGroup, crossGrouping } from './cross-tab.ts';
import { checkMeasure, invalidEmission, type KeyColumn } from './emitted.ts';
import { coarsen, groupBy, type Grouping } from './group-by.ts';
import { binColumn } from './histogram.ts';
import { type GroupVariances, meanByGroup, varianceByGroup } from './moments.ts';
import { minMaxByGroup, quantilesByGroup } from './order-statistics.ts';
import { leafHistograms, type LeafHistograms } from './leaf-histograms.ts';
import { populationSketches } from './population-sketch.ts';
import type { AggregateTable, TableCell, TableKind, TableTotals } from './aggregate-table.ts';

/** What the job emitted, aligned with its input rows (see emitted.ts). */
export interface Emitted {
  readonly rows: number;
  readonly keys: Readonly<Record<string, KeyColumn>>;
  readonly measures: Readonly<Record<string, Float64Array>>;
}

/** A dimension: an emitted key by name, or an emitted measure binned by edges (a histogram). */
export type Dimension = string | { readonly bins: string; readonly edges: readonly number[] };

/** One output the job asks for. */
export interface TableSpec {
  readonly name: string;
  readonly kind: TableKind;
  readonly by: readonly Dimension[];
  /** every kind but count */
  readonly measure?: string;
  readonly bounds?: Bounds;
  /** quantile tables */
  readonly prob?: number;
  /** count tables: count contributors (default) or rows */
  readonly countOf?: 'contributors' | 'rows';
  /** release totals (count, sum and mean tables of one or two dimensions) */
  readonly totals?: boolean;
}

export interface BuildOptions {
  readonly dataset: string;
  /** from the platform's copy of the input; default: each row is its own contributor */
  readonly contributors?: Contributors;
  readonly maxRowsPerContributor?: number;
  /** build population sketches for the differencing check (default true) */
  readonly sketches?: boolean;
  /** tables with more entries get no sketches (the size gate will refuse them anyway); default 20,000 */
  readonly maxCells?: number;
  /** quantile, min and max tables with bounds also get leaf histograms of this many bins (for DP quantiles) */
  readonly histogramBins?: number;
  /** quantile cells carry their values (merge-tables.ts merges chunks exactly from them) */
  readonly keepQuantileValues?: boolean;
}

const ADDITIVE: readonly TableKind[] = ['count', 'sum', 'mean'];

/**
 * Reduces the emitted columns to one table per spec. Tables with the same dimensions share one grouping, so their
 * cells line up (disclosure control suppresses them together). Throws AppError VALIDATION_FAILED for a spec naming an
 * unknown column, lacking a measure or probability, asking totals it cannot have, or repeating a name.
 */
export function buildTables(emitted: Emitted, specs: readonly TableSpec[], options: BuildOptions): AggregateTable[] {
  const contributors = options.contributors ?? contributorsFromRows(emitted.rows);
  const groupings = new Map<string, { flat?: Grouping; one?: Grouping; cross?: CrossGrouping }>();
  const names = new Set<string>();
  return specs.map((spec) => {
    if (names.has(spec.name)) throw invalidEmission('two outputs have the same name', { output: spec.name });
    names.add(spec.name);
    checkSpec(spec);
    const columns = spec.by.map((d) => dimensionColumn(emitted, d));
    const dims = spec.by.map((d) => (typeof d === 'string' ? d : d.bins));
    const key = JSON.stringify(spec.by);
    const cached = groupings.get(key) ?? {};
    groupings.set(key, cached);
    const groupOptions = { contributors, names: dims, ...(options.maxRowsPerContributor === undefined ? {} : { maxRowsPerContributor: options.maxRowsPerContributor }) };
    const values = spec.measure === undefined ? undefined : measureColumn(emitted, spec.measure);
    const maxCells = options.maxCells ?? 20_000;

    let cells: TableCell[];
    let totals: TableTotals | null = null;
    let grouping: Grouping;
    let rowLabels: readonly (string | null)[] | null = null;
    let columnLabels: readonly (string | null)[] | null = null;
    if (columns.length === 2) {
      const cross = (cached.cross ??= crossGrouping(columns[0]!, columns[1]!, emitted.rows, groupOptions));
      grouping = cross.cells;
      rowLabels = cross.rowLabels;
      columnLabels = cross.columnLabels;
      const sketch = options.sketches !== false && cross.cells.groupCount + rowLabels.length + columnLabels.length + 1 <= maxCells;
      cells = reduceCells(cross.cells, spec, values, sketch, options.keepQuantileValues);
      if (spec.totals) totals = { all: reduceCells(cross.all, spec, values, sketch)[0]!, rows: reduceCells(cross.rows, spec, values, sketch), columns: reduceCells(cross.columns, spec, values, sketch) };
    } else {
      grouping = cached.flat ??= groupBy(columns, emitted.rows, groupOptions);
      const sketch = options.sketches !== false && grouping.groupCount + 1 <= maxCells;
      cells = reduceCells(grouping, spec, values, sketch, options.keepQuantileValues);
      if (spec.totals) {
        const all = (cached.one ??= coarsen(grouping, new Int32Array(grouping.groupCount), [[]]));
        totals = { all: reduceCells(all, spec, values, sketch)[0]!, rows: null, columns: null };
      }
    }
    const clamped = values && spec.bounds ? prepareValues(values, spec.bounds).clamped : 0;
    const ordered = spec.kind === 'quantile' || spec.kind === 'min' || spec.kind === 'max';
    const histograms: LeafHistograms | null =
      ordered && values && spec.bounds && options.histogramBins ? leafHistograms(grouping, values, spec.bounds, options.histogramBins) : null;
    return {
      name: spec.name,
      dataset: options.dataset,
      kind: spec.kind,
      dims,
      measure: spec.measure ?? null,
      prob: spec.prob ?? null,
      bounds: spec.bounds ?? null,
      countOf: spec.kind === 'count' ? (spec.countOf ?? 'contributors') : null,
      rowsPerContributor: grouping.rowsPerContributor,
      layout: !spec.totals ? 'flat' : columns.length === 2 ? 'two-way' : 'one-way',
      cells,
      rowLabels,
      columnLabels,
      totals,
      clamped,
      excludedRows: grouping.excludedRows,
      histograms,
    };
  });
}

function checkSpec(spec: TableSpec): void {
  const details = { output: spec.name };
  if (spec.kind !== 'count' && spec.measure === undefined) throw invalidEmission('this output needs a measure', details);
  if (spec.kind === 'quantile' && !(typeof spec.prob === 'number' && spec.prob >= 0 && spec.prob <= 1)) throw invalidEmission('a quantile output needs a probability from 0 to 1', details);
  if (spec.bounds) checkBounds(spec.bounds);
  if (spec.totals && (!ADDITIVE.includes(spec.kind) || spec.by.length < 1 || spec.by.length > 2)) {
    throw invalidEmission('totals are for count, sum and mean outputs of one or two dimensions', details);
  }
}

function measureColumn(emitted: Emitted, name: string): Float64Array {
  const values = Object.hasOwn(emitted.measures, name) ? emitted.measures[name] : undefined;
  if (!values) throw invalidEmission('an output names a measure the job did not emit', { measure: name });
  return checkMeasure(values, emitted.rows, name);
}

function dimensionColumn(emitted: Emitted, d: Dimension): KeyColumn {
  if (typeof d !== 'string') return binColumn(measureColumn(emitted, d.bins), d.edges);
  const column = Object.hasOwn(emitted.keys, d) ? emitted.keys[d] : undefined;
  if (!column) throw invalidEmission('an output names a key the job did not emit', { key: d });
  return column;
}

/** The cells of one grouping for one spec. */
function reduceCells(grouping: Grouping, spec: TableSpec, values: Float64Array | undefined, withSketch: boolean, keepValues = false): TableCell[] {
  const G = grouping.groupCount;
  const bounds = spec.bounds ? { bounds: spec.bounds } : {};
  const prepared = values ? prepareValues(values, spec.bounds).values : undefined;
  const sketches = withSketch ? populationSketches(grouping, prepared) : null;
  const base = (g: number, contributors: number, value: number, n: number): TableCell => ({
    labels: grouping.labels[g]!,
    contributors,
    value,
    n,
    sum: NaN,
    top1: 0,
    top2: 0,
    magnitude: 0,
    sketch: sketches ? sketches[g]! : null,
  });
  switch (spec.kind) {
    case 'count': {
      const c = countByGroup(grouping);
      return Array.from({ length: G }, (_, g) => base(g, c.contributors[g]!, spec.countOf === 'rows' ? c.rows[g]! : c.contributors[g]!, c.rows[g]!));
    }
    case 'sum':
    case 'mean':
    case 'variance': {
      const s = spec.kind === 'variance' ? varianceByGroup(grouping, values!, bounds) : meanByGroup(grouping, values!, bounds);
      const stat = spec.kind === 'sum' ? s.sum : spec.kind === 'mean' ? s.mean : (s as GroupVariances).variance;
      return Array.from({ length: G }, (_, g) => ({
        ...base(g, s.contributors[g]!, stat[g]!, s.n[g]!),
        sum: s.sum[g]!,
        top1: s.top1[g]!,
        top2: s.top2[g]!,
        magnitude: s.magnitude[g]!,
      }));
    }
    case 'min':
    case 'max': {
      const m = minMaxByGroup(grouping, values!, bounds);
      const who = distinctPerGroup(grouping.groupOf, G, grouping.contributors, prepared);
      return Array.from({ length: G }, (_, g) => base(g, who[g]!, spec.kind === 'min' ? m.min[g]! : m.max[g]!, m.n[g]!));
    }
    case 'quantile': {
      const q = quantilesByGroup(grouping, values!, [spec.prob!], bounds);
      const who = distinctPerGroup(grouping.groupOf, G, grouping.contributors, prepared);
      const kept = keepValues ? valuesByGroup(grouping, prepared!) : null;
      return Array.from({ length: G }, (_, g) => ({ ...base(g, who[g]!, q.values[g]!, q.n[g]!), ...(kept ? { values: kept[g]! } : {}) }));
    }
  }
}

/** Per group, its present values (already clamped). */
function valuesByGroup(grouping: Grouping, values: Float64Array): Float64Array[] {
  const { groupOf, groupCount, rows } = grouping;
  const n = new Int32Array(groupCount);
  for (let i = 0; i < rows; i++) if (groupOf[i]! >= 0 && values[i] === values[i]) n[groupOf[i]!]!++;
  const out = Array.from(n, (k) => new Float64Array(k));
  const at = new Int32Array(groupCount);
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    if (g >= 0 && values[i] === values[i]) out[g]![at[g]!++] = values[i]!;
  }
  return out;
}
