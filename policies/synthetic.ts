// Masked synthetic samples for operators' development: rows with the masked schema and realistic distributions,
// drawn from per-column aggregates (a profile), never derived row by row from real rows.
//
// The profile is all that is kept of the real data: per column the share of missing values and either the
// categories seen at least `minCount` times (rarer values are never reproduced), or a histogram whose edges are
// rounded and whose bins hold at least `minCount` rows, or the shapes of values (digits, letters, CJK) for
// identifiers. Columns are drawn independently, so no synthetic row corresponds to a real person; correlations
// between columns are deliberately not reproduced.

import type { DatasetDefinition, FieldValue, Row } from '../store/index.ts';
import { fieldDisclosureRules } from './disclosure.ts';
import type { PolicyUse } from './grades.ts';
import { maskerFor, type MaskedField } from './masker.ts';
import { roundTo } from './masks/generalize.ts';
import type { PolicySet } from './policy-set.ts';
import { SeededRandom } from './random.ts';

export type ColumnProfile =
  | { readonly field: string; readonly kind: 'category'; readonly nullRate: number; readonly values: ReadonlyArray<readonly [FieldValue, number]> }
  | {
      readonly field: string;
      readonly kind: 'number';
      readonly nullRate: number;
      /** drawn values are multiples of this: 1 for integers and days, 0.01 for amounts, the base of a `round` mask */
      readonly step: number;
      readonly bins: ReadonlyArray<{ readonly low: number; readonly high: number; readonly count: number }>;
      /** true for `date` columns: numbers are days since 1970-01-01 */
      readonly date: boolean;
    }
  | {
      readonly field: string;
      readonly kind: 'pattern';
      readonly nullRate: number;
      /** [prefix shared by at least minCount values, shape of the rest (9 digit, A letter, 汉 CJK), count] */
      readonly patterns: ReadonlyArray<readonly [string, string, number]>;
      /** CJK characters seen at least minCount times, to fill 汉 */
      readonly cjk: string;
    }
  | { readonly field: string; readonly kind: 'pseudonym'; readonly nullRate: number };

/** What is kept of a dataset for synthetic samples: aggregates only (JSON-serializable). */
export interface DatasetProfile {
  readonly dataset: string;
  readonly use: PolicyUse;
  readonly fields: readonly MaskedField[];
  readonly minCount: number;
  readonly columns: readonly ColumnProfile[];
}

const MAX_CATEGORIES = 2000;
const BINS = 20;

/**
 * Profiles `rows` (raw rows of the dataset) as masked for `use`. `minCount` defaults to the minimum cell count of
 * the masked fields' grades. The pseudonym key is a throwaway: pseudonym columns keep only their share of nulls.
 * Throws what maskerFor throws.
 */
export function profileDataset(
  set: PolicySet,
  definition: DatasetDefinition,
  rows: readonly Row[],
  options: { use?: PolicyUse; minCount?: number; asOf?: string } = {},
): DatasetProfile {
  const use = options.use ?? 'sandbox';
  const key = crypto.getRandomValues(new Uint8Array(32));
  const masker = maskerFor(set, definition, use, options.asOf === undefined ? { pseudonymKey: key } : { pseudonymKey: key, asOf: options.asOf });
  const minCount = options.minCount ?? fieldDisclosureRules(set, definition.code, masker.fields.map((f) => f.name)).minCellCount;
  const columns = masker.maskColumns(toColumns(rows, definition));
  return {
    dataset: definition.code,
    use,
    fields: masker.fields,
    minCount,
    columns: masker.fields.map((f) => profileColumn(f, columns[f.name] ?? [], minCount)),
  };
}

function toColumns(rows: readonly Row[], definition: DatasetDefinition): Record<string, FieldValue[]> {
  const out: Record<string, FieldValue[]> = {};
  for (const f of definition.fields) out[f.name] = rows.map((r) => r[f.name] ?? null);
  return out;
}

function profileColumn(field: MaskedField, values: readonly FieldValue[], minCount: number): ColumnProfile {
  const present = values.filter((v): v is string | number | boolean => v !== null);
  const nullRate = values.length === 0 ? 0 : 1 - present.length / values.length;
  if (field.rule.mask === 'pseudonym') return { field: field.name, kind: 'pseudonym', nullRate };
  const counts = new Map<string | number | boolean, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  const kept = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]).slice(0, MAX_CATEGORIES);
  const keptShare = present.length === 0 ? 0 : kept.reduce((s, [, c]) => s + c, 0) / present.length;
  const numeric = field.type === 'integer' || field.type === 'decimal' || field.type === 'date';
  // Few distinct values (codes, flags, bands): categories. Many: a histogram for numbers, shapes for text.
  const few = numeric ? counts.size <= 50 : keptShare >= 0.2;
  if (kept.length > 0 && (few || present.length < minCount * BINS)) {
    return { field: field.name, kind: 'category', nullRate, values: kept };
  }
  if (numeric) return numberProfile(field, present, minCount, nullRate);
  return patternProfile(field.name, present.map(String), minCount, nullRate);
}

/** Two significant digits: histogram edges must not be individual values. */
function roundEdge(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  const p = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  return Math.round(x / p) * p;
}

const DAY_MS = 86_400_000;

function numberProfile(field: MaskedField, present: ReadonlyArray<string | number | boolean>, minCount: number, nullRate: number): ColumnProfile {
  const date = field.type === 'date';
  const xs = present
    .map((v) => (date ? Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / DAY_MS : Number(v)))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const step = field.rule.mask === 'round' ? field.rule.base : date || field.type === 'integer' ? 1 : 0.01;
  // Edges at rounded quantiles 1%..99%: the extremes (single people) are folded into the outer bins.
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
  const edges = [...new Set(Array.from({ length: BINS + 1 }, (_, i) => roundEdge(q(0.01 + (0.98 * i) / BINS))))].sort((a, b) => a - b);
  const bins: Array<{ low: number; high: number; count: number }> = [];
  for (let i = 0; i + 1 < edges.length; i++) bins.push({ low: edges[i] as number, high: edges[i + 1] as number, count: 0 });
  if (bins.length === 0) bins.push({ low: edges[0] ?? 0, high: (edges[0] ?? 0) + 1, count: 0 });
  for (const x of xs) {
    let i = 0;
    while (i < bins.length - 1 && x >= (bins[i] as { high: number }).high) i++;
    (bins[i] as { count: number }).count++;
  }
  // Merge bins below the minimum into their neighbour, so no bin describes fewer than minCount rows.
  const merged: Array<{ low: number; high: number; count: number }> = [];
  for (const b of bins) {
    const last = merged[merged.length - 1];
    if (last && last.count < minCount) {
      last.high = b.high;
      last.count += b.count;
    } else merged.push({ ...b });
  }
  const tail = merged[merged.length - 1];
  if (merged.length > 1 && tail && tail.count < minCount) {
    const prev = merged[merged.length - 2] as { high: number; count: number };
    prev.high = tail.high;
    prev.count += tail.count;
    merged.pop();
  }
  return { field: field.name, kind: 'number', nullRate, step, bins: merged.filter((b) => b.count >= minCount), date };
}

function isCjk(c: number): boolean {
  return c >= 0x3400 && c <= 0x9fff;
}

function shapeOf(text: string, chars: Map<string, number> | undefined): string {
  let shape = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 48 && c <= 57) shape += '9';
    else if (c >= 65 && c <= 90) shape += 'A';
    else if (c >= 97 && c <= 122) shape += 'a';
    else if (isCjk(c)) {
      shape += '汉';
      chars?.set(ch, (chars.get(ch) ?? 0) + 1);
    } else shape += ch === '汉' ? '?' : ch;
  }
  return shape;
}

/**
 * Identifiers and other high-cardinality text: each value becomes its longest prefix shared by at least minCount
 * values (a region, a city, a registration authority) plus the shape of the rest, and only pairs seen minCount
 * times are kept. Synthetic values then start like real ones and are random after that.
 */
function patternProfile(field: string, values: readonly string[], minCount: number, nullRate: number): ColumnProfile {
  const prefixCounts = new Map<string, number>();
  for (const v of values) for (let len = 1; len <= Math.min(v.length, 24); len++) prefixCounts.set(v.slice(0, len), (prefixCounts.get(v.slice(0, len)) ?? 0) + 1);
  const chars = new Map<string, number>();
  const pairs = new Map<string, { prefix: string; shape: string; count: number }>();
  for (const v of values) {
    let len = Math.min(v.length, 24);
    while (len > 0 && (prefixCounts.get(v.slice(0, len)) ?? 0) < minCount) len--;
    const prefix = v.slice(0, len);
    const shape = shapeOf(v.slice(len), chars);
    const key = `${prefix}\u0000${shape}`;
    const entry = pairs.get(key);
    if (entry) entry.count++;
    else pairs.set(key, { prefix, shape, count: 1 });
  }
  const patterns = [...pairs.values()]
    .filter((p) => p.count >= minCount)
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_CATEGORIES)
    .map((p) => [p.prefix, p.shape, p.count] as const);
  const cjk = [...chars].filter(([, c]) => c >= minCount).map(([ch]) => ch).join('');
  return { field, kind: 'pattern', nullRate, patterns, cjk: cjk || '某' };
}

/**
 * `rows` synthetic rows following `profile`; the same seed gives the same rows. A column whose profile kept
 * nothing (every value rarer than minCount) comes out as null.
 */
export function syntheticRows(profile: DatasetProfile, options: { rows: number; seed: string | number }): Row[] {
  if (!Number.isSafeInteger(options.rows) || options.rows < 0) throw new TypeError('rows must be a non-negative integer');
  const rng = new SeededRandom(`synthetic\u0000${profile.dataset}\u0000${String(options.seed)}`);
  const draw = profile.columns.map((c) => sampler(c, rng));
  const out: Row[] = [];
  for (let r = 0; r < options.rows; r++) {
    const row: Row = {};
    profile.columns.forEach((c, i) => {
      row[c.field] = rng.float() < c.nullRate ? null : (draw[i] as () => FieldValue)();
    });
    out.push(row);
  }
  return out;
}

function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHJKLMNPQRTUWXY';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function sampler(c: ColumnProfile, rng: SeededRandom): () => FieldValue {
  switch (c.kind) {
    case 'pseudonym':
      return () => {
        let s = '';
        for (let i = 0; i < 32; i++) s += HEX[rng.below(16)];
        return s;
      };
    case 'category': {
      if (c.values.length === 0) return () => null;
      const cum = cumulative(c.values.map(([, n]) => n));
      return () => (c.values[rng.pickCumulative(cum)] as readonly [FieldValue, number])[0];
    }
    case 'number': {
      if (c.bins.length === 0) return () => null;
      const cum = cumulative(c.bins.map((b) => b.count));
      return () => {
        const b = c.bins[rng.pickCumulative(cum)] as { low: number; high: number };
        const x = b.low + rng.float() * (b.high - b.low);
        if (c.date) return new Date(Math.floor(x) * DAY_MS).toISOString().slice(0, 10);
        return roundTo(x, c.step);
      };
    }
    case 'pattern': {
      if (c.patterns.length === 0) return () => null;
      const cum = cumulative(c.patterns.map(([, , n]) => n));
      const cjk = [...c.cjk];
      return () => {
        const [prefix, shape] = c.patterns[rng.pickCumulative(cum)] as readonly [string, string, number];
        let s = prefix;
        for (const ch of shape) {
          if (ch === '9') s += String(rng.below(10));
          else if (ch === 'A') s += UPPER[rng.below(UPPER.length)];
          else if (ch === 'a') s += LOWER[rng.below(LOWER.length)];
          else if (ch === '汉') s += cjk[rng.below(cjk.length)];
          else s += ch;
        }
        return s;
      };
    }
  }
}
