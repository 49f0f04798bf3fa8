// A job's result for people: released (or dry-run) tables as text, models as coefficient lists, and the chart of the
// first distribution in it. Works on the JSON of GET /operator/jobs/{id}/result; unknown shapes print as JSON.
import { barChartSvg, formatNumber, lineChartSvg, type LineSeries } from './chart.ts';
import { textTable, type Align } from './text-table.ts';

export interface ResultCell {
  labels: (string | null)[];
  value: number | null;
  /** 95 % interval of a DP release: where the value would be without the noise */
  interval?: [number, number] | null;
  suppressed?: string | null;
}

export interface ResultTable {
  name: string;
  kind: string;
  dims: string[];
  measure: string | null;
  prob: number | null;
  cells: ResultCell[];
  totals?: { all: ResultCell } | null;
  /** DP releases: labels declared by the job, or selected from the data */
  domain?: 'declared' | 'selected';
}

export interface ResultModel {
  name: string;
  model?: string;
  terms?: string[];
  coefficients?: number[];
  standardErrors?: number[];
  intervals?: [number, number][];
  n?: number;
  /** linear: R² and the residual standard deviation (null when undefined, e.g. a constant label) */
  rSquared?: number | null;
  sigma?: number | null;
  /** logistic (DP): rows with label 0 and 1, rounded */
  classRows?: [number, number];
  /** logistic (reviewed, without DP): the fitted and the intercept-only model's deviance */
  deviance?: number;
  nullDeviance?: number;
  iterations?: number;
  withheld?: boolean;
  converged?: boolean;
  separation?: boolean;
  problems?: string[];
  error?: string;
}

export interface JobResult {
  jobId: string;
  dryRun?: boolean;
  checked?: boolean;
  result: { tables?: ResultTable[]; models?: ResultModel[]; dp?: { epsilon: number } | null };
}

/** "mean of income", "count", "p50 of income". */
export function statisticName(t: ResultTable): string {
  const stat = t.kind === 'quantile' && t.prob !== null ? `p${Math.round(t.prob * 100)}` : t.kind;
  return t.measure ? `${stat} of ${t.measure}` : stat;
}


const interval = (i: [number, number] | null | undefined) => (i ? `${formatNumber(i[0])} … ${formatNumber(i[1])}` : '');

/** The result as plain text tables (one row per cell; withheld cells show their mark; DP values their 95 % interval). */
export function resultText(res: JobResult): string {
  const parts: string[] = [];
  if (res.dryRun) parts.push('DRY RUN on synthetic data — output NOT disclosure-checked; not a release.');
  else if (res.result.dp) parts.push(`Differentially private release (ε = ${res.result.dp.epsilon}): each value has random noise added; its 95 % interval shows where the value without noise lies.`);
  for (const t of res.result.tables ?? []) {
    const withIntervals = t.cells.some((c) => c.interval);
    const rows: string[][] = [[...t.dims, statisticName(t), ...(withIntervals ? ['95 % interval'] : [])]];
    for (const c of sortedCells(t.cells)) {
      rows.push([...c.labels.map((l) => l ?? '(missing)'), c.value === null ? `– ${c.suppressed ?? ''}`.trim() : formatNumber(c.value), ...(withIntervals ? [interval(c.interval)] : [])]);
    }
    if (t.totals?.all) rows.push([...t.dims.map((_, i) => (i === 0 ? 'total' : '')), t.totals.all.value === null ? '–' : formatNumber(t.totals.all.value), ...(withIntervals ? [interval(t.totals.all.interval)] : [])]);
    const note = t.domain === 'selected' ? ' (labels shared by too few people are not shown)' : '';
    const align: Align[] = [...t.dims.map(() => 'left' as const), 'right', 'right'];
    parts.push(`${t.name}: ${statisticName(t)}${t.dims.length ? ` by ${t.dims.join(', ')}` : ''}${note}\n${textTable(rows, align)}`);
  }
  for (const m of res.result.models ?? []) {
    if (m.error || m.withheld) {
      parts.push(`${m.name}: ${m.model ?? 'model'} ${m.withheld ? `withheld (${(m.problems ?? []).join(', ')})` : `not fitted: ${m.error}`}`);
      continue;
    }
    const rows: string[][] = [['term', 'coefficient', 'std. error', ...(m.intervals ? ['95 % interval'] : [])]];
    (m.terms ?? []).forEach((term, i) => rows.push([term, formatNumber(m.coefficients?.[i] ?? NaN), formatNumber(m.standardErrors?.[i] ?? NaN), ...(m.intervals ? [interval(m.intervals[i])] : [])]));
    const flags = [m.converged === false ? 'NOT converged' : '', m.separation ? 'separation (a feature predicts the label perfectly)' : ''].filter(Boolean);
    const fit = fitLine(m, Boolean(res.result.dp));
    parts.push(`${m.name}: ${m.model ?? 'model'} regression, n = ${m.n ?? '?'}${fit.length ? `, ${fit.join(', ')}` : ''}${flags.length ? ` — ${flags.join('; ')}` : ''}\n${textTable(rows, ['left', 'right', 'right', 'right'])}`);
  }
  if (parts.length === (res.dryRun ? 1 : 0)) parts.push(JSON.stringify(res.result, null, 2));
  return `${parts.join('\n\n')}\n`;
}

const orNotGiven = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'not given' : formatNumber(x));

/**
 * How well a model fits, from what its release carries: a linear model's R² and residual σ (DP: from noisy sums); a logistic model's
 * deviance and McFadden's pseudo-R² when it was released without DP (a DP logistic release carries neither: only its
 * rows per outcome).
 */
function fitLine(m: ResultModel, dp: boolean): string[] {
  const out: string[] = [];
  if ('rSquared' in m) out.push(`R² = ${orNotGiven(m.rSquared)}`);
  if ('sigma' in m) out.push(`residual σ = ${orNotGiven(m.sigma)}`);
  // from noisy sums the residual sum of squares can come out at zero or below: the platform then gives neither
  if (dp && 'sigma' in m && (m.sigma === null || m.sigma === undefined)) out.push('(the noise swamped the residuals: no R² or σ from this release)');
  if (m.deviance !== undefined && m.nullDeviance !== undefined) {
    out.push(`deviance = ${formatNumber(m.deviance)} (intercept only ${formatNumber(m.nullDeviance)})`);
    if (m.nullDeviance > 0) out.push(`pseudo-R² = ${formatNumber(1 - m.deviance / m.nullDeviance)}`);
  }
  if (m.classRows) out.push(`rows with outcome 0 / 1 = ${formatNumber(m.classRows[0])} / ${formatNumber(m.classRows[1])}`);
  return out;
}

/** Cells in label order, numbers by value ("2" before "10"); a missing label last. */
function sortedCells(cells: readonly ResultCell[]): ResultCell[] {
  const compare = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'zh-CN', { numeric: true }));
  return [...cells].sort((x, y) => {
    for (let i = 0; i < Math.max(x.labels.length, y.labels.length); i++) {
      const c = compare(x.labels[i] ?? null, y.labels[i] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const numeric = (label: string | null) => label !== null && /^-?\d+(\.\d+)?$/.test(label);

/**
 * The chart of the first distribution in the result — a table with one statistic over one or two dimensions and at
 * least two values — as SVG, or null when there is none. Numeric last dimension (years, bins): lines, one per
 * value of the first; otherwise bars.
 */
export function resultChart(res: JobResult): string | null {
  const table = (res.result.tables ?? []).find((t) => t.dims.length >= 1 && t.dims.length <= 2 && t.cells.filter((c) => c.value !== null).length >= 2);
  if (!table) return null;
  const subtitle = res.dryRun
    ? 'dry run on synthetic data — unchecked, not a release'
    : res.result.dp
      ? `job ${res.jobId} · differentially private (ε = ${res.result.dp.epsilon}); whiskers are 95 % intervals`
      : `job ${res.jobId}`;
  const title = `${statisticName(table)} by ${table.dims.join(' and ')}`;
  const last = table.dims.length - 1;
  if (table.cells.every((c) => numeric(c.labels[last] ?? null))) {
    const bySeries = new Map<string, LineSeries>();
    for (const c of table.cells) {
      if (c.value === null) continue;
      const name = table.dims.length === 2 ? (c.labels[0] ?? '(missing)') : statisticName(table);
      const s = bySeries.get(name) ?? { name, points: [] };
      s.points.push({ x: Number(c.labels[last]), y: c.value, ...(c.interval ? { interval: c.interval } : {}) });
      bySeries.set(name, s);
    }
    // the ten series with the most points: more lines would not be readable
    const series = [...bySeries.values()].sort((a, b) => b.points.length - a.points.length).slice(0, 10);
    return lineChartSvg(series, { title, subtitle, valueLabel: statisticName(table), categoryLabel: table.dims[last]!, ...(table.dims.length === 2 ? { seriesLabel: table.dims[0]! } : {}) });
  }
  const bars = sortedCells(table.cells).map((c) => ({ label: c.labels.map((l) => l ?? '(missing)').join(' · '), value: c.value, ...(c.interval ? { interval: c.interval } : {}) }));
  return barChartSvg(bars, { title, subtitle, valueLabel: statisticName(table), categoryLabel: table.dims.join(' · ') });
}
