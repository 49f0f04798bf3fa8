// The size gate: a release too large to be a statistical summary (a table with as many rows as people) is refused
// before any other check, whatever those checks would say.

export interface SizeLimits {
  /** rows (entries: cells and totals) of any one output */
  readonly maxRows: number;
  /** values in the whole release */
  readonly maxCells: number;
}

export const DEFAULT_SIZE_LIMITS: SizeLimits = { maxRows: 5_000, maxCells: 20_000 };

export interface OutputSize {
  readonly name: string;
  readonly rows: number;
  readonly cells: number;
}

export interface SizeGateResult {
  readonly ok: boolean;
  readonly rows: number;
  readonly cells: number;
  /** outputs over maxRows */
  readonly tooLarge: readonly string[];
}

/** Passes when every output has at most maxRows rows and all together at most maxCells values. Throws TypeError for bad limits. */
export function sizeGate(outputs: readonly OutputSize[], limits: SizeLimits = DEFAULT_SIZE_LIMITS): SizeGateResult {
  if (!(Number.isInteger(limits.maxRows) && limits.maxRows >= 1 && Number.isInteger(limits.maxCells) && limits.maxCells >= 1)) {
    throw new TypeError('size limits must be positive integers');
  }
  const tooLarge = outputs.filter((o) => o.rows > limits.maxRows).map((o) => o.name);
  const rows = outputs.reduce((m, o) => Math.max(m, o.rows), 0);
  const cells = outputs.reduce((s, o) => s + o.cells, 0);
  return { ok: tooLarge.length === 0 && cells <= limits.maxCells, rows, cells, tooLarge };
}
