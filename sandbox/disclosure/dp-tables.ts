// Differentially private tables: the platform's aggregates, noised under one ρ, with every decision about what to show
// taken from noisy values or public facts only. Labels come from a declared domain or pass DP partition selection;
// small-cell, dominance and secondary suppression read noisy counts and declared bounds (never a true count), so the
// pattern of what is shown is itself part of the DP release. Each value carries its 95 % interval.

import { cryptoRandom, gaussianNoiserRho, type Interval, type Noiser, PARTITION_DELTA, type RandomSource, ratio, selectionThreshold, symmetric } from '../dp/index.ts';
import type { AggregateTable, TableCell, TableKind } from '../reduce/index.ts';
import { noisyCellValues } from './dp-cell-values.ts';
import { DOMINANCE_RULE } from './dominance.ts';
import { roundTo } from './round.ts';
import { suppressSmallCells } from './suppress.ts';
import type { ContributorTable } from './table-layout.ts';

/** Why a value is not shown. `not_selected`: a combination of shown labels whose group did not pass selection. */
export type DpMark = 'small_cell' | 'dominance' | 'secondary' | 'not_selected';

/** A released value. Wire format of job results: add fields, never rename. */
export interface DpValue {
  readonly labels: readonly (string | null)[];
  /** null when withheld or undefined (a mean over a noisy count below 1) */
  readonly value: number | null;
  /** 95 % interval for the noise-free statistic, null when the value is */
  readonly interval: Interval | null;
  readonly suppressed: DpMark | null;
}

export interface DpTable {
  readonly name: string;
  readonly kind: TableKind;
  readonly dims: readonly string[];
  readonly measure: string | null;
  readonly prob: number | null;
  readonly layout: AggregateTable['layout'];
  readonly cells: readonly DpValue[];
  readonly rowLabels: readonly (string | null)[] | null;
  readonly columnLabels: readonly (string | null)[] | null;
  readonly totals: { readonly all: DpValue; readonly rows: readonly DpValue[] | null; readonly columns: readonly DpValue[] | null } | null;
  readonly omitted: number;
  readonly noise: { readonly mechanism: 'gaussian'; readonly rho: number; readonly sd: number };
  /** where the labels come from: declared by the job (or public), or selected from the data under DP */
  readonly domain: 'declared' | 'selected';
  /** selected domains: the noisy-count threshold a group had to clear */
  readonly selectionThreshold: number | null;
  readonly bounds: { readonly lo: number; readonly hi: number } | null;
  readonly rowsPerContributor: number;
  readonly roundedTo: number | null;
}

export interface DpTableRequest {
  readonly table: AggregateTable;
  /** labels per dimension, declared by the job or public; null: labels are selected from the data under DP */
  readonly domain: readonly (readonly string[])[] | null;
}

export interface DpTablesOptions {
  /** the ρ every table of the release may spend together */
  readonly rho: number;
  readonly minCellCount: number;
  readonly roundingBase: number;
  readonly rng?: RandomSource;
  readonly partitionDelta?: number;
}

export interface DpTablesRelease {
  readonly tables: readonly DpTable[];
  /** what the report may say: all of it derived from noisy values or public facts */
  readonly summary: { readonly units: number; readonly selectedGroups: number; readonly smallCells: number; readonly dominance: number; readonly secondary: number };
}

/** Leaf bins of quantile trees: resolution (hi − lo)/512. */
export const QUANTILE_BINS = 512;

/** ρ units a table takes: one per noised statistic. */
export function dpTableUnits(kind: TableKind): number {
  return kind === 'mean' ? 2 : kind === 'variance' ? 3 : 1;
}

/** Why a table cannot be released under DP (declared bounds are public facts), or null. */
export function dpTableObstacle(table: AggregateTable): 'no_bounds' | 'unbounded_contributions' | 'no_histogram' | null {
  if (table.rowsPerContributor === null) return 'unbounded_contributions';
  if (table.kind !== 'count' && !table.bounds) return 'no_bounds';
  if ((table.kind === 'quantile' || table.kind === 'min' || table.kind === 'max') && !table.histograms) return 'no_histogram';
  return null;
}

/** One set of cells several tables share (same dimensions, same groups): selection and suppression are per group. */
interface Group {
  readonly requests: DpTableRequest[];
  readonly declared: boolean;
  /** the group's cells in release order; null where a declared combination has no rows */
  readonly cells: (number | null)[];
  readonly labels: (readonly (string | null)[])[];
}

/** Releases the tables under ρ in total. Throws TypeError for a table dpTableObstacle refuses (check first). */
export function releaseDpTables(requests: readonly DpTableRequest[], options: DpTablesOptions): DpTablesRelease {
  const rng = options.rng ?? cryptoRandom;
  for (const r of requests) if (dpTableObstacle(r.table)) throw new TypeError('this table cannot be released under DP');
  const groups = groupRequests(requests);
  const hasPeopleCount = (g: Group) => g.requests.some((r) => r.table.kind === 'count' && r.table.countOf === 'contributors');
  const units = requests.reduce((s, r) => s + dpTableUnits(r.table.kind), 0) + groups.filter((g) => !hasPeopleCount(g)).length;
  const rhoUnit = options.rho / units;
  const delta = options.partitionDelta ?? PARTITION_DELTA;
  const out = new Map<DpTableRequest, DpTable>();
  const summary = { units, selectedGroups: 0, smallCells: 0, dominance: 0, secondary: 0 };

  for (const group of groups) {
    const k = Math.max(...group.requests.map((r) => r.table.rowsPerContributor!));
    const cellOf = (r: DpTableRequest, i: number): TableCell | null => (group.cells[i] === null ? null : r.table.cells[group.cells[i]!]!);

    // 1. the group's noisy count of people: a contributor-count table's own values, or a count of its own
    const countRequest = group.requests.find((r) => r.table.kind === 'count' && r.table.countOf === 'contributors');
    const peopleNoiser = gaussianNoiserRho({ sensitivity: Math.sqrt(k), rho: rhoUnit, integer: true });
    const people = group.cells.map((_, i) => peopleNoiser.add(cellOf(countRequest ?? group.requests[0]!, i)?.contributors ?? 0, rng));

    // 2. selection: declared labels are all shown; data labels only where the noisy count clears the threshold
    const threshold = group.declared ? null : selectionThreshold(peopleNoiser.sd, k, delta);
    const selected = people.map((p) => threshold === null || p >= threshold);
    summary.selectedGroups += selected.filter(Boolean).length;

    for (const request of group.requests) {
      const noised = noiseTable(request, group, { people, noiser: peopleNoiser, threshold, selected }, countRequest === request, rhoUnit, k, rng);
      out.set(request, noised.table);
      summary.smallCells += noised.smallCells;
      summary.dominance += noised.dominance;
      summary.secondary += noised.secondary;
    }
  }
  return { tables: requests.map((r) => out.get(r)!), summary };

  function noiseTable(
    request: DpTableRequest,
    group: Group,
    selection: { people: number[]; noiser: Noiser; threshold: number | null; selected: boolean[] },
    isPeopleCount: boolean,
    rho: number,
    k: number,
    rngIn: RandomSource,
  ): { table: DpTable; smallCells: number; dominance: number; secondary: number } {
    const table = request.table;
    const n = group.cells.length;
    const bounds = table.bounds;
    const { people, noiser: peopleNoiser } = selection;
    const selected = (i: number) => selection.selected[i]!;
    const { values, intervals, parts, sd } = noisyCellValues(table, group.cells, { people, peopleNoiser, selected, isPeopleCount }, rho, k, rngIn);

    // 3. what is withheld, from noisy counts and declared bounds only
    const t = options.minCellCount;
    const marks: (DpMark | null)[] = group.cells.map((_, i) => (!selected(i) ? 'not_selected' : people[i]! < t ? 'small_cell' : null));
    let dominance = 0;
    if ((table.kind === 'sum' || table.kind === 'mean') && bounds) {
      // the worst case the bounds allow: two contributors at the bound, k rows each, against the noisy magnitude
      const top2 = 2 * k * Math.max(Math.abs(bounds.lo), Math.abs(bounds.hi));
      for (let i = 0; i < n; i++) {
        if (marks[i] !== null || values[i] === null) continue;
        const magnitude = table.kind === 'sum' ? Math.abs(values[i]!) : Math.abs(values[i]! * parts[i]!.n);
        if (top2 >= DOMINANCE_RULE.k * magnitude) {
          marks[i] = 'dominance';
          dominance++;
        }
      }
    }
    const smallCells = marks.filter((m) => m === 'small_cell').length;

    // 4. totals (sums of the noisy cells: post-processing), and secondary suppression where totals are shown
    const layout = table.layout;
    let totals: DpTable['totals'] = null;
    let secondary = 0;
    let rowLabels: (string | null)[] | null = null;
    let columnLabels: (string | null)[] | null = null;
    if (layout !== 'flat' && (table.kind === 'count' || table.kind === 'sum' || table.kind === 'mean')) {
      const combine = (members: number[]): DpValue => {
        const live = members.filter((i) => parts[i] !== undefined && marks[i] !== 'not_selected');
        const s = live.reduce((a, i) => a + parts[i]!.s, 0);
        const vs = live.reduce((a, i) => a + parts[i]!.vs, 0);
        if (table.kind !== 'mean') return { labels: [], value: table.kind === 'count' ? Math.max(0, s) : s, interval: symmetric(s, Math.sqrt(vs), table.kind === 'count' ? { min: 0 } : undefined), suppressed: null };
        const N = live.reduce((a, i) => a + parts[i]!.n, 0);
        const vn = live.reduce((a, i) => a + parts[i]!.vn, 0);
        const mid = (bounds!.lo + bounds!.hi) / 2;
        if (N < 1) return { labels: [], value: null, interval: null, suppressed: null };
        const mean = Math.min(bounds!.hi, Math.max(bounds!.lo, mid + s / N));
        return { labels: [], value: mean, interval: ratio(mean, N, Math.sqrt(vs), Math.sqrt(vn), mid, bounds!), suppressed: null };
      };
      if (layout === 'one-way') {
        // the total is the sum of the selected cells: the pattern is over those
        const live = group.cells.map((_, i) => i).filter(selected);
        const all = combine(live);
        const primary = live.map((i) => (marks[i] === 'small_cell' || marks[i] === 'dominance' ? marks[i] : null));
        const pattern = suppressSmallCells({ layout: 'one-way', cells: live.map((i) => nonNegative(people[i]!)), total: nonNegative(live.reduce((a, i) => a + people[i]!, 0)) }, t, {
          primary: [...primary, null],
        });
        live.forEach((i, j) => {
          if (pattern.marks[j] === 'secondary' && marks[i] === null) {
            marks[i] = 'secondary';
            secondary++;
          }
        });
        totals = { all: pattern.marks[live.length] === null ? all : { ...all, value: null, interval: null, suppressed: 'secondary' }, rows: null, columns: null };
      } else {
        const I = group.labels.length === 0 ? 0 : new Set(group.labels.map((l) => JSON.stringify(l[0]))).size;
        const J = I === 0 ? 0 : n / I;
        rowLabels = Array.from({ length: I }, (_, r) => group.labels[r * J]![0]!);
        columnLabels = Array.from({ length: J }, (_, c) => group.labels[c]![1]!);
        const rowsOf = (r: number) => Array.from({ length: J }, (_, c) => r * J + c);
        const colsOf = (c: number) => Array.from({ length: I }, (_, r) => r * J + c);
        const sumPeople = (members: number[]) => nonNegative(members.reduce((a, i) => a + (selected(i) ? people[i]! : 0), 0));
        const contributors: ContributorTable = {
          layout: 'two-way',
          rows: I,
          columns: J,
          // cells not selected are in no total: for the pattern they are empty
          cells: people.map((p, i) => (selected(i) ? nonNegative(p) : 0)),
          rowTotals: Array.from({ length: I }, (_, r) => sumPeople(rowsOf(r))),
          columnTotals: Array.from({ length: J }, (_, c) => sumPeople(colsOf(c))),
          total: sumPeople(group.cells.map((_, i) => i)),
        };
        const primary = [...marks.map((m) => (m === 'small_cell' || m === 'dominance' ? m : null)), ...new Array(I + J + 1).fill(null)];
        const pattern = suppressSmallCells(contributors, t, { primary });
        pattern.marks.slice(0, n).forEach((m, i) => {
          if (m === 'secondary' && marks[i] === null) {
            marks[i] = 'secondary';
            secondary++;
          }
        });
        const withMark = (v: DpValue, e: number, labels: (string | null)[]): DpValue => (pattern.marks[e] === null ? { ...v, labels } : { labels, value: null, interval: null, suppressed: 'secondary' });
        totals = {
          rows: Array.from({ length: I }, (_, r) => withMark(combine(rowsOf(r)), n + r, [rowLabels![r]!])),
          columns: Array.from({ length: J }, (_, c) => withMark(combine(colsOf(c)), n + I + c, [columnLabels![c]!])),
          all: withMark(combine(group.cells.map((_, i) => i)), n + I + J, []),
        };
      }
    }

    // 5. rounding (post-processing), then the released shape: selected cells only, unless labels are declared
    const base = options.roundingBase;
    const rounds = base > 1 && (table.kind === 'count' || table.kind === 'sum');
    const finish = (v: DpValue): DpValue => {
      if (!rounds || v.value === null) return v;
      const value = Math.max(table.kind === 'count' ? 0 : -Infinity, roundTo(v.value, base));
      const interval: Interval | null = v.interval ? [Math.floor(v.interval[0] / base) * base, Math.ceil(v.interval[1] / base) * base] : null;
      return { ...v, value, interval };
    };
    const shown = (i: number) => group.declared || layout === 'two-way' || marks[i] !== 'not_selected';
    const cells: DpValue[] = [];
    for (let i = 0; i < n; i++) {
      if (!shown(i)) continue;
      const withheld = marks[i] !== null;
      cells.push(finish({ labels: group.labels[i]!, value: withheld ? null : values[i]!, interval: withheld ? null : intervals[i]!, suppressed: marks[i]! }));
    }
    // two-way tables over selected labels show only rows and columns with a selected cell
    if (layout === 'two-way' && !group.declared && rowLabels && columnLabels) {
      const J = columnLabels.length;
      const keepRow = rowLabels.map((_, r) => marks.some((m, i) => Math.floor(i / J) === r && m !== 'not_selected'));
      const keepCol = columnLabels.map((_, c) => marks.some((m, i) => i % J === c && m !== 'not_selected'));
      const kept = cells.filter((_, i) => keepRow[Math.floor(i / J)] && keepCol[i % J]);
      cells.length = 0;
      cells.push(...kept);
      if (totals) totals = { all: totals.all, rows: totals.rows!.filter((_, r) => keepRow[r]), columns: totals.columns!.filter((_, c) => keepCol[c]) };
      rowLabels = rowLabels.filter((_, r) => keepRow[r]);
      columnLabels = columnLabels.filter((_, c) => keepCol[c]);
    }
    const finishedTotals = totals ? { all: finish(totals.all), rows: totals.rows?.map(finish) ?? null, columns: totals.columns?.map(finish) ?? null } : null;
    return {
      table: {
        name: table.name,
        kind: table.kind,
        dims: table.dims,
        measure: table.measure,
        prob: table.prob,
        layout,
        cells,
        rowLabels,
        columnLabels,
        totals: finishedTotals,
        omitted: 0,
        noise: { mechanism: 'gaussian', rho: rho * dpTableUnits(table.kind), sd },
        domain: group.declared ? 'declared' : 'selected',
        selectionThreshold: selection.threshold,
        bounds,
        rowsPerContributor: k,
        roundedTo: rounds ? base : null,
      },
      smallCells,
      dominance,
      secondary,
    };
  }
}

const nonNegative = (x: number): number => Math.max(0, Math.round(x));

/**
 * Tables over the same dimensions and groups form one group. Declared domains list every combination of their labels
 * (a combination without rows is an empty cell: its noisy count is released like any other); data domains list the
 * groups the rows have.
 */
function groupRequests(requests: readonly DpTableRequest[]): Group[] {
  const groups = new Map<string, Group>();
  for (const request of requests) {
    const table = request.table;
    const key = JSON.stringify([table.dims, request.domain, request.domain ? null : table.cells.map((c) => c.labels)]);
    const existing = groups.get(key);
    if (existing) {
      existing.requests.push(request);
      continue;
    }
    if (request.domain) {
      const index = new Map(table.cells.map((c, i) => [JSON.stringify(c.labels), i]));
      const labels = product(request.domain);
      groups.set(key, { requests: [request], declared: true, labels, cells: labels.map((l) => index.get(JSON.stringify(l)) ?? null) });
    } else {
      groups.set(key, { requests: [request], declared: false, labels: table.cells.map((c) => c.labels), cells: table.cells.map((_, i) => i) });
    }
  }
  return [...groups.values()];
}

function product(domains: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const d of domains) out = out.flatMap((prefix) => d.map((label) => [...prefix, label]));
  return out;
}
