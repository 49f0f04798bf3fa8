// The shapes of tables disclosure control protects, and how their entries add up: what secondary suppression and its
// audit reason about.

/**
 * Contributors per entry of a table. Entries are numbered: the cells (two-way: row-major), then the row totals, then
 * the column totals, then the grand total (one-way: the cells, then the total). Suppression marks use the same order.
 */
export type ContributorTable =
  | { readonly layout: 'flat'; readonly cells: readonly number[] }
  | { readonly layout: 'one-way'; readonly cells: readonly number[]; readonly total: number }
  | {
      readonly layout: 'two-way';
      readonly rows: number;
      readonly columns: number;
      readonly cells: readonly number[];
      readonly rowTotals: readonly number[];
      readonly columnTotals: readonly number[];
      readonly total: number;
    };

/** Why an entry is withheld. Primary: small_cell, dominance, differencing; secondary: to protect a primary one. */
export type SuppressionReason = 'small_cell' | 'dominance' | 'differencing' | 'secondary';
export type SuppressionMark = SuppressionReason | null;

/** Contributors of every entry, in entry order. Throws TypeError when the parts do not fit together. */
export function entryContributors(table: ContributorTable): number[] {
  switch (table.layout) {
    case 'flat':
      return [...table.cells];
    case 'one-way':
      return [...table.cells, table.total];
    case 'two-way': {
      const { rows, columns } = table;
      if (table.cells.length !== rows * columns || table.rowTotals.length !== rows || table.columnTotals.length !== columns) {
        throw new TypeError('a two-way table needs rows × columns cells and one total per row and column');
      }
      return [...table.cells, ...table.rowTotals, ...table.columnTotals, table.total];
    }
  }
}

/**
 * The additive relations among entries: each line says Σ members = total (entry indexes). One-way: one line;
 * two-way: one per row and column of the table bordered by its totals (the totals row and column included).
 */
export function tableLines(table: ContributorTable): { readonly members: readonly number[]; readonly total: number }[] {
  if (table.layout === 'flat') return [];
  if (table.layout === 'one-way') return [{ members: table.cells.map((_, k) => k), total: table.cells.length }];
  const { rows: I, columns: J } = table;
  const at = gridIndex(I, J);
  const lines: { members: number[]; total: number }[] = [];
  for (let r = 0; r <= I; r++) lines.push({ members: Array.from({ length: J }, (_, c) => at(r, c)), total: at(r, J) });
  for (let c = 0; c <= J; c++) lines.push({ members: Array.from({ length: I }, (_, r) => at(r, c)), total: at(I, c) });
  return lines;
}

/** Entry index of (r, c) in the table bordered by its totals: r = rows is the totals row, c = columns the totals column. */
export function gridIndex(rows: number, columns: number): (r: number, c: number) => number {
  const cells = rows * columns;
  return (r, c) => (r < rows ? (c < columns ? r * columns + c : cells + r) : c < columns ? cells + rows + c : cells + rows + columns);
}
