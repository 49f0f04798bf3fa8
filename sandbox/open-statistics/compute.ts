// From the masked source columns to the published table: the trusted reduction builds the aggregates, the same DP
// release as a job's noises them over the statistic's public domain (every division, every band, every year), and the
// released tables become one CSV-ready row per cell and margin, each value with its 95 % interval. Pure apart from the
// noise: the caller reads the data and charges the source's budget, and persists what comes out.
import { disclosureRules, type DisclosureRules, type PolicySet } from '../../policies/index.ts';
import type { FieldValue } from '../../store/index.ts';
import { checkDpRelease, type DpReleaseCheck, type DpTable, type DpValue, QUANTILE_BINS } from '../disclosure/index.ts';
import type { RandomSource } from '../dp/index.ts';
import type { ColumnInput } from '../execution/index.ts';
import { buildTables, type Contributors } from '../reduce/index.ts';
import { TOTAL_LABEL, type OpenStatisticSpec, type SourceColumns } from './specs.ts';

/** One published row: the two keys, a value per table (null when withheld or undefined), and the suppressed flag. */
export type StatisticRow = Record<string, string | number | boolean | null>;

export interface ComputedStatistic {
  readonly check: DpReleaseCheck;
  readonly rules: DisclosureRules;
  readonly rows: readonly StatisticRow[];
  /** rows whose values were withheld */
  readonly suppressedRows: number;
}

/**
 * The rules for a release to everyone: the dataset's own (its strictest grade over every field), as for a job.
 */
export function publicRules(policies: PolicySet, source: string): DisclosureRules {
  return disclosureRules(policies, source);
}

/** A sandbox column back to plain values (strings, numbers, booleans; null missing) for the spec's derive function. */
export function columnValues(column: ColumnInput): FieldValue[] {
  if (column instanceof Float64Array) return Array.from(column, (v) => (Number.isNaN(v) ? null : v));
  if (column instanceof Int32Array) return Array.from(column, (v) => v === 1);
  return Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]!));
}

export interface ComputeInput {
  readonly columns: Readonly<Record<string, ColumnInput>>;
  readonly rowCount: number;
  readonly contributors: Contributors;
  /** reference date of the source version, YYYY-MM-DD */
  readonly asOf: string;
}

export interface ComputeOptions {
  /** the publication's ρ, charged to the source's yearly budget by the caller */
  readonly rho: number;
  /** tests only: seeded noise */
  readonly rng?: RandomSource;
}

/** Reduces, noises and lays out one statistic. The check's outcome may be 'refuse' or 'review': the caller decides. */
export function computeStatistic(spec: OpenStatisticSpec, rules: DisclosureRules, input: ComputeInput, options: ComputeOptions): ComputedStatistic {
  const source: SourceColumns = Object.fromEntries(Object.entries(input.columns).map(([name, column]) => [name, columnValues(column)]));
  const emitted = spec.derive(source, input.rowCount, input.asOf);
  // one row per person (a resident or a firm is one row of its register): the sensitivity the noise assumes
  const tables = buildTables(emitted, spec.tables, { dataset: spec.source, contributors: input.contributors, maxRowsPerContributor: 1, histogramBins: QUANTILE_BINS, sketches: false });
  const domain = spec.domain(input.asOf);
  const check = checkDpRelease({ tables: tables.map((table) => ({ table, domain: [...domain] })), models: [] }, rules, { rho: options.rho, ...(options.rng ? { rng: options.rng } : {}) });
  const rows = check.outcome === 'release' ? layout(spec, check.released.tables) : [];
  return { check, rules, rows, suppressedRows: rows.filter((r) => r.suppressed === true).length };
}

const keyOf = (labels: readonly (string | null)[]) => labels.map((l) => l ?? '').join('\u0000');

/** Entries of a released two-way table keyed by [row, column] labels, margins with the TOTAL_LABEL. */
function entriesOf(table: DpTable): Map<string, DpValue> {
  const out = new Map<string, DpValue>();
  for (const cell of table.cells) out.set(keyOf(cell.labels), cell);
  if (table.totals) {
    for (const r of table.totals.rows ?? []) out.set(keyOf([r.labels[0] ?? null, TOTAL_LABEL]), r);
    for (const c of table.totals.columns ?? []) out.set(keyOf([TOTAL_LABEL, c.labels[0] ?? null]), c);
    out.set(keyOf([TOTAL_LABEL, TOTAL_LABEL]), table.totals.all);
  }
  return out;
}

const DIGITS: Readonly<Record<string, number>> = { count: 0, mean: 4 };

/**
 * One row per entry the first (count) table shows, in its order: cells, then row margins, column margins and the
 * grand total. A row is `suppressed` when any of its values was withheld; a mean with no value in the cell is null
 * without being suppressed. Entries the check left out (labels shown nowhere else) are not published.
 */
function layout(spec: OpenStatisticSpec, released: readonly DpTable[]): StatisticRow[] {
  const byTable = released.map(entriesOf);
  const [first] = byTable;
  if (!first) return [];
  const [d0, d1] = spec.dimFields;
  const rows: StatisticRow[] = [];
  for (const [key, entry] of first) {
    const [a, b] = key.split('\u0000');
    const row: StatisticRow = { [d0.name]: a ?? '', [d1.name]: b ?? '' };
    let suppressed = entry.suppressed !== null;
    spec.tables.forEach((t, k) => {
      const value = byTable[k]!.get(key);
      if (value?.suppressed) suppressed = true;
      const digits = 10 ** (DIGITS[t.kind] ?? 4);
      const round = (x: number) => Math.round(x * digits) / digits;
      row[t.column] = value && value.value !== null ? round(value.value) : null;
      row[`${t.column}_low`] = value?.interval ? round(value.interval[0]) : null;
      row[`${t.column}_high`] = value?.interval ? round(value.interval[1]) : null;
    });
    // a withheld entry of one table withholds the row: the shared pattern makes this the same in every table
    if (suppressed) for (const t of spec.tables) for (const c of [t.column, `${t.column}_low`, `${t.column}_high`]) row[c] = null;
    row.suppressed = suppressed;
    rows.push(row);
  }
  return rows;
}

/** RFC 4180 CSV with a header, in the registry's field order. */
export function toCsv(fields: readonly string[], rows: readonly StatisticRow[]): string {
  const quote = (v: string | number | boolean | null | undefined): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [fields.join(','), ...rows.map((r) => fields.map((f) => quote(r[f])).join(','))].join('\n') + '\n';
}
