// Group index per row from the job's emitted key columns (composite keys), the first step of every trusted reduction.

import { contributorsFromRows, type Contributors } from './contributors.ts';
import { canonicalKey, invalidEmission, type KeyColumn } from './emitted.ts';

/** A missing key (-1) either leaves the row out ('exclude', the default: it is how a job filters) or forms a group labelled null. */
export type MissingKeys = 'exclude' | 'group';

export interface GroupByOptions {
  /** who contributes to each row; default: each row is its own contributor */
  readonly contributors?: Contributors;
  readonly missing?: MissingKeys;
  /** keep at most this many rows per contributor (the first, in row order): bounds DP sensitivity */
  readonly maxRowsPerContributor?: number;
  /** key names, for error messages */
  readonly names?: readonly string[];
}

/** Which group each row falls in. Groups are ordered by their keys' dictionary codes, missing last. */
export interface Grouping {
  readonly rows: number;
  /** per row, its group, or -1 when the row is left out */
  readonly groupOf: Int32Array;
  readonly groupCount: number;
  /** per group, one label per key column (null = missing) */
  readonly labels: readonly (readonly (string | null)[])[];
  /** rows left out: missing key (with 'exclude'), no contributor id, or over the per-contributor cap */
  readonly excludedRows: number;
  readonly contributors: Contributors;
  /** most rows one contributor can have here: 1 when rows are contributors, the cap if one was set, else null (unbounded) */
  readonly rowsPerContributor: number | null;
}

/**
 * Groups `rows` rows by the composite of `keys` (none: one group of every row, labelled []). Linear in rows × keys:
 * each key column refines the groups so far through a dense table (or a Map when the key space is huge), then
 * groups are sorted by their codes. Throws AppError VALIDATION_FAILED for malformed columns; TypeError for bad options.
 */
export function groupBy(keys: readonly KeyColumn[], rows: number, options: GroupByOptions = {}): Grouping {
  const contributors = options.contributors ?? contributorsFromRows(rows);
  if (contributors.rows !== rows) throw invalidEmission('emitted columns and contributors differ in length');
  const missing = options.missing ?? 'exclude';
  const cap = options.maxRowsPerContributor;
  if (cap !== undefined && !(Number.isInteger(cap) && cap >= 1)) throw new TypeError('maxRowsPerContributor must be a positive integer');
  const columns = keys.map((k, j) => canonicalKey(k, rows, options.names?.[j] ?? `key ${j}`));

  // Phase 1: which rows take part at all.
  const groupOf = new Int32Array(rows);
  const of = contributors.of;
  for (let i = 0; i < rows; i++) if (of && of[i]! < 0) groupOf[i] = -1;
  if (missing === 'exclude') {
    for (const col of columns) {
      const codes = col.codes;
      for (let i = 0; i < rows; i++) if (codes[i]! < 0) groupOf[i] = -1;
    }
  }
  // Phase 2: the per-contributor cap, over the rows still in.
  if (cap !== undefined && contributors.order && contributors.offsets) {
    const { order, offsets } = contributors;
    for (let c = 0; c < contributors.count; c++) {
      let kept = 0;
      for (let k = offsets[c]!, end = offsets[c + 1]!; k < end; k++) {
        const i = order[k]!;
        if (groupOf[i]! < 0) continue;
        if (kept < cap) kept++;
        else groupOf[i] = -1;
      }
    }
  }
  let excludedRows = 0;
  for (let i = 0; i < rows; i++) if (groupOf[i]! < 0) excludedRows++;

  // Phase 3: refine by each key column; remember each new group's parent group and code to rebuild its labels.
  let count = rows - excludedRows > 0 || columns.length === 0 ? 1 : 0;
  const parents: Int32Array[] = [];
  const codesOf: Int32Array[] = [];
  for (const col of columns) {
    const card = col.dictionary.length + 1;
    const space = count * card;
    const dense = space <= Math.min(1 << 25, Math.max(1 << 16, 2 * rows)) ? new Int32Array(space).fill(-1) : undefined;
    const sparse = dense ? undefined : new Map<number, number>();
    const capacity = Math.min(space, rows);
    const parent = new Int32Array(capacity);
    const code = new Int32Array(capacity);
    const codes = col.codes;
    let next = 0;
    if (dense) {
      for (let i = 0; i < rows; i++) {
        const g = groupOf[i]!;
        if (g < 0) continue;
        const key = g * card + codes[i]! + 1;
        let ng = dense[key]!;
        if (ng < 0) {
          ng = next++;
          dense[key] = ng;
          parent[ng] = g;
          code[ng] = codes[i]!;
        }
        groupOf[i] = ng;
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const g = groupOf[i]!;
        if (g < 0) continue;
        const key = g * card + codes[i]! + 1;
        let ng = sparse!.get(key);
        if (ng === undefined) {
          ng = next++;
          sparse!.set(key, ng);
          parent[ng] = g;
          code[ng] = codes[i]!;
        }
        groupOf[i] = ng;
      }
    }
    count = next;
    parents.push(parent);
    codesOf.push(code);
  }

  // Codes per group, then sort groups by codes (missing last) and renumber.
  const width = columns.length;
  const tuple = new Int32Array(count * width);
  for (let g = 0; g < count; g++) {
    let h = g;
    for (let j = width - 1; j >= 0; j--) {
      tuple[g * width + j] = codesOf[j]![h]!;
      h = parents[j]![h]!;
    }
  }
  const sorted = Array.from({ length: count }, (_, g) => g).sort((a, b) => {
    for (let j = 0; j < width; j++) {
      const x = tuple[a * width + j]!;
      const y = tuple[b * width + j]!;
      if (x !== y) return x < 0 ? 1 : y < 0 ? -1 : x - y;
    }
    return 0;
  });
  const rank = new Int32Array(count);
  sorted.forEach((g, r) => (rank[g] = r));
  for (let i = 0; i < rows; i++) {
    const g = groupOf[i]!;
    if (g >= 0) groupOf[i] = rank[g]!;
  }
  const labels = sorted.map((g) =>
    columns.map((col, j) => {
      const c = tuple[g * width + j]!;
      return c < 0 ? null : col.dictionary[c]!;
    }),
  );
  const rowsPerContributor = contributors.kind === 'rows' ? 1 : (cap ?? null);
  return { rows, groupOf, groupCount: count, labels, excludedRows, contributors, rowsPerContributor };
}

/**
 * A coarser grouping: group g of `grouping` goes to `map[g]` (-1: left out), e.g. the cells of a cross-tab to its
 * rows for the row totals. Rows keep their contributors and cap.
 */
export function coarsen(grouping: Grouping, map: Int32Array, labels: readonly (readonly (string | null)[])[]): Grouping {
  if (map.length !== grouping.groupCount) throw new TypeError('map must have one entry per group');
  const groupOf = new Int32Array(grouping.rows);
  let excludedRows = 0;
  for (let i = 0; i < grouping.rows; i++) {
    const g = grouping.groupOf[i]!;
    const ng = g < 0 ? -1 : map[g]!;
    groupOf[i] = ng;
    if (ng < 0) excludedRows++;
  }
  return { ...grouping, groupOf, groupCount: labels.length, labels, excludedRows };
}
