// Secondary suppression of a two-way table with totals. Each entry of the table bordered by its totals lies on one
// row line and one column line, so the withheld entries form a bipartite graph (lines are nodes, entries edges); an
// entry is determined by the released ones exactly when it is a bridge of that graph (on no cycle). We add the
// cheapest entries until no withheld entry is a bridge, and until every line whose total is released withholds at
// least `threshold` contributors in all (so the sum of its withheld cells is no small cell either).

import { gridIndex, type SuppressionMark } from './table-layout.ts';

/** Fills in secondary marks in place. `contributors` and `marks` are in entry order (see ContributorTable). */
export function secondaryTwoWay(I: number, J: number, contributors: readonly number[], marks: SuppressionMark[], threshold: number): void {
  const at = gridIndex(I, J);
  const R = I + 1;
  const C = J + 1;
  const rowOf = new Int32Array(contributors.length);
  const colOf = new Int32Array(contributors.length);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      rowOf[at(r, c)] = r;
      colOf[at(r, c)] = c;
    }
  }
  // Prefer (cheapest first) interior cells, few contributors, never an empty cell unless nothing else will do.
  const cost = (e: number): number => (contributors[e] === 0 ? 1e13 : 0) + (rowOf[e] === I || colOf[e] === J ? 1e12 : 0) + contributors[e]!;
  const lines: { members: number[]; total: number }[] = [];
  for (let r = 0; r < R; r++) lines.push({ members: Array.from({ length: J }, (_, c) => at(r, c)), total: at(r, J) });
  for (let c = 0; c < C; c++) lines.push({ members: Array.from({ length: I }, (_, r) => at(r, c)), total: at(I, c) });

  const fixLine = (): boolean => {
    for (const { members, total } of lines) {
      if (marks[total] !== null) continue;
      let count = 0;
      let withheld = 0;
      for (const e of members) {
        if (marks[e] === null) continue;
        count++;
        withheld += contributors[e]!;
      }
      if (count === 0 || (count >= 2 && withheld >= threshold)) continue;
      let best = -1;
      for (const e of members) if (marks[e] === null && (best < 0 || cost(e) < cost(best))) best = e;
      marks[best < 0 ? total : best] = 'secondary';
      return true;
    }
    return false;
  };

  // Structure first (cheapest cycle through each bridge: a lone withheld cell in a line is a bridge too), then sums.
  for (;;) {
    const bridge = findBridge(R, C, marks, rowOf, colOf);
    if (bridge >= 0) {
      for (const e of cheapestCycle(bridge, R, C, at, marks, rowOf, colOf, cost)) marks[e] = 'secondary';
      continue;
    }
    if (!fixLine()) return;
  }
}

/** An entry that is a bridge of the withheld-entry graph (Tarjan, iterative), or -1. Nodes: rows 0..R-1, columns R..R+C-1. */
function findBridge(R: number, C: number, marks: readonly SuppressionMark[], rowOf: Int32Array, colOf: Int32Array): number {
  const V = R + C;
  const adjacency: number[][] = Array.from({ length: V }, () => []);
  marks.forEach((m, e) => {
    if (m === null) return;
    adjacency[rowOf[e]!]!.push(e);
    adjacency[R + colOf[e]!]!.push(e);
  });
  const other = (e: number, v: number): number => (v === rowOf[e] ? R + colOf[e]! : rowOf[e]!);
  const disc = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  let time = 0;
  for (let start = 0; start < V; start++) {
    if (disc[start] !== -1 || adjacency[start]!.length === 0) continue;
    const stack: { v: number; via: number; next: number }[] = [{ v: start, via: -1, next: 0 }];
    disc[start] = low[start] = time++;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = adjacency[top.v]!;
      if (top.next < edges.length) {
        const e = edges[top.next++]!;
        if (e === top.via) continue;
        const w = other(e, top.v);
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          stack.push({ v: w, via: e, next: 0 });
        } else low[top.v] = Math.min(low[top.v]!, disc[w]!);
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.v] = Math.min(low[parent.v]!, low[top.v]!);
          if (low[top.v]! > disc[parent.v]!) return top.via;
        }
      }
    }
  }
  return -1;
}

/**
 * The cheapest set of unmarked entries whose withholding puts `bridge` on a cycle: one entry joining the two sides the
 * bridge separates, or the missing corners of a rectangle through it.
 */
function cheapestCycle(
  bridge: number,
  R: number,
  C: number,
  at: (r: number, c: number) => number,
  marks: readonly SuppressionMark[],
  rowOf: Int32Array,
  colOf: Int32Array,
  cost: (e: number) => number,
): number[] {
  const r0 = rowOf[bridge]!;
  const c0 = colOf[bridge]!;
  // Side of each node once the bridge is removed: 1 = with row r0, 2 = with column c0.
  const side = new Int8Array(R + C);
  const spread = (from: number, mark: 1 | 2): void => {
    const queue = [from];
    side[from] = mark;
    while (queue.length > 0) {
      const v = queue.pop()!;
      const isRow = v < R;
      for (let k = 0; k < (isRow ? C : R); k++) {
        const e = isRow ? at(v, k) : at(k, v - R);
        if (e === bridge || marks[e] === null) continue;
        const w = isRow ? R + k : k;
        if (side[w] === 0) {
          side[w] = mark;
          queue.push(w);
        }
      }
    }
  };
  spread(r0, 1);
  spread(R + c0, 2);
  let best: number[] = [];
  let bestCost = Infinity;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const e = at(r, c);
      if (marks[e] !== null) continue;
      const a = side[r]!;
      const b = side[R + c]!;
      if (a !== 0 && b !== 0 && a !== b && cost(e) < bestCost) {
        best = [e];
        bestCost = cost(e);
      }
    }
  }
  for (let r = 0; r < R; r++) {
    if (r === r0) continue;
    for (let c = 0; c < C; c++) {
      if (c === c0) continue;
      const corners = [at(r0, c), at(r, c0), at(r, c)].filter((e) => marks[e] === null);
      const total = corners.reduce((s, e) => s + cost(e), 0);
      if (total < bestCost) {
        best = corners;
        bestCost = total;
      }
    }
  }
  return best;
}
