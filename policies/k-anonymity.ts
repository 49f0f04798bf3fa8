// The k-anonymity check of a row-level release: full-domain generalization of the quasi-identifiers over their
// hierarchies, searched from the least generalized combination up, with suppression of the rows left in classes
// smaller than k, until every released row shares its quasi-identifier values with at least k-1 others, or refusal.

import type { FieldValue, Row } from '../store/index.ts';
import type { Hierarchy } from './hierarchies.ts';

export interface QuasiIdentifier {
  readonly field: string;
  readonly hierarchy: Hierarchy;
  /** coarsest level index allowed; default: the last (`*`) */
  readonly maxLevel?: number;
}

export interface KAnonymityOptions {
  /** the minimum class size to reach */
  readonly k: number;
  /** share of rows that may be suppressed (left out), 0 to 1 */
  readonly maxSuppressionRate: number;
}

export interface KAnonymityOutcome {
  /** smallest class among released rows (0 when nothing is released) */
  readonly k: number;
  readonly suppressed: number;
  readonly suppressionRate: number;
  /** the level chosen per quasi-identifier, by name */
  readonly levels: Readonly<Record<string, string>>;
}

export type KAnonymityResult =
  | (KAnonymityOutcome & { readonly ok: true; readonly rows: Row[] })
  | { readonly ok: false; readonly reason: 'too_few_rows' | 'suppression_limit'; readonly best: KAnonymityOutcome | undefined };

interface Node {
  readonly levels: readonly number[];
  readonly suppressed: number;
  readonly minClass: number;
  /** discernibility: sum of squared class sizes, the tie-breaker (smaller = more useful) */
  readonly cost: number;
}

/**
 * Finds the least generalization (smallest sum of levels; then fewest suppressed rows; then smallest
 * discernibility) under which all classes of size < k together hold at most `maxSuppressionRate` of the rows,
 * and returns the generalized rows without the suppressed ones. Refuses when no allowed combination gets there.
 * Pure: `rows` are not modified. Cost: one pass over the rows per combination tried.
 * Throws TypeError for k < 1 or a suppression rate outside 0..1.
 */
export function kAnonymity(rows: readonly Row[], qis: readonly QuasiIdentifier[], options: KAnonymityOptions): KAnonymityResult {
  const { k, maxSuppressionRate } = options;
  if (!Number.isInteger(k) || k < 1) throw new TypeError('k must be a positive integer');
  if (!(maxSuppressionRate >= 0 && maxSuppressionRate <= 1)) throw new TypeError('maxSuppressionRate must be from 0 to 1');
  const n = rows.length;
  if (n < k) return { ok: false, reason: 'too_few_rows', best: undefined };
  const maxLevels = qis.map((q) => Math.min(q.maxLevel ?? q.hierarchy.levels.length - 1, q.hierarchy.levels.length - 1));
  const codes = new CodeTable(rows, qis);
  const allowed = Math.floor(maxSuppressionRate * n);

  let best: Node | undefined;
  const height = maxLevels.reduce((a, b) => a + b, 0);
  for (let h = 0; h <= height; h++) {
    let chosen: Node | undefined;
    for (const levels of combinations(maxLevels, h)) {
      const node = evaluate(codes, levels, k, n);
      if (!best || better(node, best)) best = node;
      if (node.suppressed <= allowed && (!chosen || better(node, chosen))) chosen = node;
    }
    if (chosen) return { ok: true, ...outcome(chosen, qis, n), rows: release(rows, qis, codes, chosen, k) };
  }
  return { ok: false, reason: 'suppression_limit', best: best && outcome(best, qis, n) };
}

function better(a: Node, b: Node): boolean {
  return a.suppressed !== b.suppressed ? a.suppressed < b.suppressed : a.cost < b.cost;
}

function outcome(node: Node, qis: readonly QuasiIdentifier[], n: number): KAnonymityOutcome {
  const levels: Record<string, string> = {};
  qis.forEach((q, i) => (levels[q.field] = q.hierarchy.levels[node.levels[i] as number] as string));
  return { k: node.minClass, suppressed: node.suppressed, suppressionRate: n === 0 ? 0 : node.suppressed / n, levels };
}

/** All level vectors with components in 0..max[i] summing to h. */
function* combinations(max: readonly number[], h: number, i = 0, prefix: number[] = []): Generator<number[]> {
  if (i === max.length) {
    if (h === 0) yield [...prefix];
    return;
  }
  for (let l = 0; l <= Math.min(max[i] as number, h); l++) {
    prefix.push(l);
    yield* combinations(max, h - l, i + 1, prefix);
    prefix.pop();
  }
}

/** Per quasi-identifier and level: each row's generalized value as a small integer, computed on first use. */
class CodeTable {
  private readonly cache = new Map<string, { codes: Int32Array; cardinality: number; values: FieldValue[] }>();
  constructor(
    private readonly rows: readonly Row[],
    private readonly qis: readonly QuasiIdentifier[],
  ) {}

  get(qi: number, level: number): { codes: Int32Array; cardinality: number; values: FieldValue[] } {
    const key = `${qi}:${level}`;
    let entry = this.cache.get(key);
    if (entry) return entry;
    const q = this.qis[qi] as QuasiIdentifier;
    const ids = new Map<string, number>();
    const values: FieldValue[] = [];
    const codes = new Int32Array(this.rows.length);
    for (let r = 0; r < this.rows.length; r++) {
      const g = q.hierarchy.generalize((this.rows[r] as Row)[q.field] ?? null, level);
      // Typed key: the number 1990 and the text '1990' are different values.
      const k = g === null ? 'n' : `${typeof g === 'number' ? 'd' : typeof g === 'boolean' ? 'b' : 's'}${String(g)}`;
      let id = ids.get(k);
      if (id === undefined) {
        id = values.length;
        ids.set(k, id);
        values.push(g);
      }
      codes[r] = id;
    }
    entry = { codes, cardinality: values.length, values };
    this.cache.set(key, entry);
    return entry;
  }
}

/** Class of every row under `levels`, as a number when the key space allows, else as text. */
function classKeys(codes: CodeTable, levels: readonly number[], n: number): Array<number | string> {
  const columns = levels.map((l, i) => codes.get(i, l));
  const space = columns.reduce((a, c) => a * Math.max(1, c.cardinality), 1);
  const keys = new Array<number | string>(n);
  for (let r = 0; r < n; r++) {
    if (space <= Number.MAX_SAFE_INTEGER) {
      let key = 0;
      for (const c of columns) key = key * Math.max(1, c.cardinality) + (c.codes[r] as number);
      keys[r] = key;
    } else {
      keys[r] = columns.map((c) => c.codes[r]).join(',');
    }
  }
  return keys;
}

function evaluate(codes: CodeTable, levels: readonly number[], k: number, n: number): Node {
  const keys = classKeys(codes, levels, n);
  const sizes = new Map<number | string, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  let suppressed = 0;
  let minClass = Number.POSITIVE_INFINITY;
  let cost = 0;
  for (const size of sizes.values()) {
    if (size < k) {
      suppressed += size;
      cost += size * n; // a suppressed row is as undiscerned as possible
    } else {
      minClass = Math.min(minClass, size);
      cost += size * size;
    }
  }
  return { levels: [...levels], suppressed, minClass: Number.isFinite(minClass) ? minClass : 0, cost };
}

function release(rows: readonly Row[], qis: readonly QuasiIdentifier[], codes: CodeTable, node: Node, k: number): Row[] {
  const n = rows.length;
  const keys = classKeys(codes, node.levels, n);
  const sizes = new Map<number | string, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  const columns = node.levels.map((l, i) => codes.get(i, l));
  const out: Row[] = [];
  for (let r = 0; r < n; r++) {
    if ((sizes.get(keys[r] as number | string) ?? 0) < k) continue;
    const row: Row = { ...(rows[r] as Row) };
    qis.forEach((q, i) => {
      const c = columns[i] as { codes: Int32Array; values: FieldValue[] };
      row[q.field] = c.values[c.codes[r] as number] ?? null;
    });
    out.push(row);
  }
  return out;
}
