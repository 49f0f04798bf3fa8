// Aggregate tables of a job reduced chunk by chunk, merged into the tables of the whole job before any noise or check.
// Chunks hold disjoint contributors (a contributor's rows always stay together), so everything a cell holds merges
// exactly: counts and contributor counts add, sums add (compensated), variances combine (Chan et al.), minima and
// maxima take the extreme, the two largest contributions take the largest two of the chunks', population sketches
// (invertible Bloom lookup tables) and leaf histograms add cell by cell. Exact quantiles need the values themselves:
// they merge only from chunks built with `keepQuantileValues` (releases without DP); DP quantiles use the histograms.
import type { AggregateTable, TableCell } from './aggregate-table.ts';
import { type PopulationSketch, SKETCH_CELLS } from './population-sketch.ts';

type Labels = readonly (string | null)[];

interface CellState {
  labels: Labels;
  contributors: number;
  n: number;
  /** Neumaier: running sum and its compensation */
  sum: number;
  comp: number;
  /** variance tables: sum of squared deviations from the running mean */
  m2: number;
  min: number;
  max: number;
  top1: number;
  top2: number;
  magnitude: number;
  /** null once a chunk had no sketch for a populated cell */
  sketch: Int32Array | null;
  histogram: Float64Array | null;
  values: Float64Array[] | null;
  /** the value of the only chunk so far (quantiles without kept values), NaN once two chunks had values */
  only: number;
}

interface TableState {
  readonly first: AggregateTable;
  readonly cells: Map<string, CellState>;
  readonly rows: Map<string, CellState> | null;
  readonly columns: Map<string, CellState> | null;
  all: CellState | null;
  clamped: number;
  excludedRows: number;
  /** whether any chunk's table carried sketches (then every merged cell does, empty ones too) */
  sketches: boolean;
}

const keyOf = (labels: Labels): string => JSON.stringify(labels);

/** Label order of merged tables: by code points, missing last (chunk order carries no meaning and must not show). */
function compareLabels(a: Labels, b: Labels): number {
  for (let j = 0; j < a.length; j++) {
    const x = a[j]!;
    const y = b[j]!;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Merges the tables of successive chunks of one job (the same specs, in the same order, for every chunk). */
export class TableMerger {
  private states: TableState[] | null = null;

  add(tables: readonly AggregateTable[]): void {
    if (!this.states) this.states = tables.map((t) => ({ first: t, cells: new Map(), rows: t.totals?.rows ? new Map() : null, columns: t.totals?.columns ? new Map() : null, all: null, clamped: 0, excludedRows: 0, sketches: false }));
    if (tables.length !== this.states.length) throw new TypeError('every chunk has the same tables');
    tables.forEach((table, k) => {
      const state = this.states![k]!;
      if (table.name !== state.first.name || table.kind !== state.first.kind) throw new TypeError('every chunk has the same tables');
      state.clamped += table.clamped;
      state.sketches ||= sketched(table);
      state.excludedRows += table.excludedRows;
      const bins = table.histograms?.bins ?? 0;
      table.cells.forEach((cell, g) => {
        const histogram = table.histograms ? table.histograms.counts.subarray(g * bins, (g + 1) * bins) : null;
        absorb(state.cells, cell, table, histogram);
      });
      if (table.totals) {
        state.all = mergeInto(state.all, table.totals.all, table, null);
        for (const c of table.totals.rows ?? []) absorb(state.rows!, c, table, null);
        for (const c of table.totals.columns ?? []) absorb(state.columns!, c, table, null);
      }
    });
  }

  /** The merged tables; null before the first chunk. */
  result(): AggregateTable[] | null {
    if (!this.states) return null;
    return this.states.map((state) => {
      const t = state.first;
      const sortedCells = (m: Map<string, CellState>) => [...m.values()].sort((a, b) => compareLabels(a.labels, b.labels));
      let cells: CellState[];
      let rowLabels: (string | null)[] | null = null;
      let columnLabels: (string | null)[] | null = null;
      if (t.rowLabels) {
        // the full product of the labels seen, empty combinations included, row-major
        const rowSet = new Map<string, string | null>();
        const colSet = new Map<string, string | null>();
        for (const c of state.cells.values()) {
          rowSet.set(keyOf([c.labels[0]!]), c.labels[0]!);
          colSet.set(keyOf([c.labels[1]!]), c.labels[1]!);
        }
        rowLabels = [...rowSet.values()].sort((a, b) => compareLabels([a], [b]));
        columnLabels = [...colSet.values()].sort((a, b) => compareLabels([a], [b]));
        cells = [];
        for (const r of rowLabels) for (const c of columnLabels) cells.push(state.cells.get(keyOf([r, c])) ?? empty([r, c], t, state.sketches));
      } else cells = sortedCells(state.cells);
      const bins = t.histograms?.bins ?? 0;
      const histograms = t.histograms ? { bins, counts: new Float64Array(cells.length * bins) } : null;
      if (histograms) cells.forEach((c, g) => c.histogram && histograms.counts.set(c.histogram, g * bins));
      const totals = t.totals
        ? {
            all: finish(state.all ?? empty([], t, state.sketches), t),
            rows: state.rows ? rowLabels!.map((r) => finish(state.rows!.get(keyOf([r])) ?? empty([r], t, state.sketches), t)) : null,
            columns: state.columns ? columnLabels!.map((c) => finish(state.columns!.get(keyOf([c])) ?? empty([c], t, state.sketches), t)) : null,
          }
        : null;
      return { ...t, cells: cells.map((c) => finish(c, t)), rowLabels, columnLabels, totals, clamped: state.clamped, excludedRows: state.excludedRows, histograms };
    });
  }
}

/** Whether a chunk's table carries population sketches (then every merged cell does, empty ones too). */
const sketched = (table: AggregateTable): boolean => table.cells.some((c) => c.sketch !== null) || (table.totals?.all.sketch ?? null) !== null;

function empty(labels: Labels, table: AggregateTable, withSketch = sketched(table)): CellState {
  return {
    labels,
    contributors: 0,
    n: 0,
    sum: 0,
    comp: 0,
    m2: 0,
    min: NaN,
    max: NaN,
    top1: 0,
    top2: 0,
    magnitude: 0,
    sketch: withSketch ? new Int32Array(SKETCH_CELLS * 4) : null,
    histogram: table.histograms ? new Float64Array(table.histograms.bins) : null,
    values: table.kind === 'quantile' ? [] : null,
    only: NaN,
  };
}

function absorb(into: Map<string, CellState>, cell: TableCell, table: AggregateTable, histogram: Float64Array | null): void {
  const key = keyOf(cell.labels);
  into.set(key, mergeInto(into.get(key) ?? null, cell, table, histogram));
}

function mergeInto(state: CellState | null, cell: TableCell, table: AggregateTable, histogram: Float64Array | null): CellState {
  const s = state ?? empty(cell.labels, table, cell.sketch !== null);
  const wasEmpty = s.n === 0;
  const kind = table.kind;
  if (kind === 'variance' && cell.n > 0) {
    // Chan et al.: combine (n, mean, M2) of the two parts
    const meanA = s.n > 0 ? (s.sum + s.comp) / s.n : 0;
    const meanB = cell.sum / cell.n;
    const m2B = cell.n > 1 && Number.isFinite(cell.value) ? cell.value * (cell.n - 1) : 0;
    const total = s.n + cell.n;
    const delta = meanB - meanA;
    s.m2 = s.m2 + m2B + (s.n > 0 ? (delta * delta * s.n * cell.n) / total : 0);
  }
  if (kind === 'sum' || kind === 'mean' || kind === 'variance') {
    const x = cell.sum;
    const t = s.sum + x;
    s.comp += Math.abs(s.sum) >= Math.abs(x) ? s.sum - t + x : x - t + s.sum;
    s.sum = t;
  }
  if (kind === 'min' && cell.n > 0) s.min = s.min === s.min ? Math.min(s.min, cell.value) : cell.value;
  if (kind === 'max' && cell.n > 0) s.max = s.max === s.max ? Math.max(s.max, cell.value) : cell.value;
  if (kind === 'quantile' && cell.n > 0) {
    if (cell.values && s.values) s.values.push(cell.values);
    else s.values = null;
    s.only = wasEmpty ? cell.value : NaN;
  }
  s.contributors += cell.contributors;
  s.n += cell.n;
  for (const a of [cell.top1, cell.top2]) {
    if (a > s.top1) {
      s.top2 = s.top1;
      s.top1 = a;
    } else if (a > s.top2) s.top2 = a;
  }
  s.magnitude += cell.magnitude;
  if (s.sketch) {
    if (cell.sketch) addSketch(s.sketch, cell.sketch);
    else if (cell.contributors > 0) s.sketch = null;
  }
  if (s.histogram && histogram) for (let b = 0; b < histogram.length; b++) s.histogram[b] = s.histogram[b]! + histogram[b]!;
  return s;
}

/** IBLTs are linear: counts add, key and checksum words XOR (contributors of different chunks are different people). */
function addSketch(into: Int32Array, sketch: PopulationSketch): void {
  const d = sketch.data;
  for (let k = 0; k < d.length; k += 4) {
    into[k] = into[k]! + d[k]!;
    into[k + 1] = into[k + 1]! ^ d[k + 1]!;
    into[k + 2] = into[k + 2]! ^ d[k + 2]!;
    into[k + 3] = into[k + 3]! ^ d[k + 3]!;
  }
}

function finish(s: CellState, table: AggregateTable): TableCell {
  const sum = s.sum + s.comp;
  let value: number;
  switch (table.kind) {
    case 'count':
      value = table.countOf === 'rows' ? s.n : s.contributors;
      break;
    case 'sum':
      value = sum;
      break;
    case 'mean':
      value = s.n > 0 ? sum / s.n : NaN;
      break;
    case 'variance':
      value = s.n > 1 ? s.m2 / (s.n - 1) : NaN;
      break;
    case 'min':
      value = s.min;
      break;
    case 'max':
      value = s.max;
      break;
    case 'quantile':
      value = s.values ? quantileOf(s.values, table.prob!) : s.only;
      break;
  }
  const additive = table.kind === 'sum' || table.kind === 'mean' || table.kind === 'variance';
  return {
    labels: s.labels,
    contributors: s.contributors,
    value,
    n: s.n,
    sum: additive ? sum : NaN,
    top1: s.top1,
    top2: s.top2,
    magnitude: s.magnitude,
    sketch: s.sketch ? { version: 1, data: s.sketch } : null,
  };
}

/** Hyndman–Fan type 7 over the union of the parts (as quantilesByGroup). */
function quantileOf(parts: readonly Float64Array[], p: number): number {
  const count = parts.reduce((a, v) => a + v.length, 0);
  if (count === 0) return NaN;
  const all = new Float64Array(count);
  let at = 0;
  for (const v of parts) {
    all.set(v, at);
    at += v.length;
  }
  all.sort();
  const h = (count - 1) * p;
  const lo = Math.floor(h);
  const a = all[lo]!;
  const b = all[Math.min(lo + 1, count - 1)]!;
  return a + (h - lo) * (b - a);
}
