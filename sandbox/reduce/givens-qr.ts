// Least squares by an incremental QR decomposition (Givens rotations, Gentleman 1973; the method of Miller's AS 274
// and R's biglm): rows are folded in one at a time, so memory is O(p²) however many rows, and the accuracy is that of
// QR — the normal equations (XᵀX, Cholesky) would square the condition number, which NIST's Longley data punishes.

export class GivensQr {
  readonly p: number;
  /** R, p × p row-major, upper triangular */
  readonly r: Float64Array;
  /** Qᵀy */
  readonly qty: Float64Array;
  /** Σ x_j² over the (weighted) rows: the scale the collinearity test compares R_jj with */
  readonly columnSquares: Float64Array;
  /** residual sum of squares of the rows folded in so far */
  rss = 0;
  rows = 0;
  private readonly work: Float64Array;

  constructor(p: number) {
    if (!Number.isInteger(p) || p < 1) throw new TypeError('p must be a positive integer');
    this.p = p;
    this.r = new Float64Array(p * p);
    this.qty = new Float64Array(p);
    this.columnSquares = new Float64Array(p);
    this.work = new Float64Array(p);
  }

  /** Folds in one row `x` (length p, not modified) with response `y`, both multiplied by √weight. */
  add(x: ArrayLike<number>, y: number, weight = 1): void {
    const { p, r, qty, work: w, columnSquares } = this;
    const sw = weight === 1 ? 1 : Math.sqrt(weight);
    for (let j = 0; j < p; j++) {
      const v = x[j]! * sw;
      w[j] = v;
      columnSquares[j] = columnSquares[j]! + v * v;
    }
    let yy = y * sw;
    this.rows++;
    for (let j = 0; j < p; j++) {
      const xj = w[j]!;
      if (xj === 0) continue;
      const jj = j * p + j;
      const d = r[jj]!;
      if (d === 0) {
        // An empty pivot row: the rest of this row becomes it, with nothing left over for the residual.
        for (let k = j; k < p; k++) r[j * p + k] = w[k]!;
        qty[j] = yy;
        return;
      }
      const h = Math.sqrt(d * d + xj * xj);
      const c = d / h;
      const s = xj / h;
      r[jj] = h;
      for (let k = j + 1; k < p; k++) {
        const a = r[j * p + k]!;
        const b = w[k]!;
        r[j * p + k] = c * a + s * b;
        w[k] = c * b - s * a;
      }
      const a = qty[j]!;
      qty[j] = c * a + s * yy;
      yy = c * yy - s * a;
    }
    this.rss += yy * yy;
  }

  /**
   * Columns (indexes) that are, to within `tolerance`, linear combinations of the columns before them:
   * |R_jj| <= tolerance · ‖x_j‖ (R_jj is the length of x_j's component outside the span of the earlier columns).
   */
  dependentColumns(tolerance: number): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.p; j++) {
      const norm = Math.sqrt(this.columnSquares[j]!);
      if (norm === 0 || Math.abs(this.r[j * this.p + j]!) <= tolerance * norm) out.push(j);
    }
    return out;
  }

  /** β solving Rβ = Qᵀy, by back substitution. Only meaningful when no column is dependent. */
  solve(): Float64Array {
    const { p, r, qty } = this;
    const beta = new Float64Array(p);
    for (let j = p - 1; j >= 0; j--) {
      let s = qty[j]!;
      for (let k = j + 1; k < p; k++) s -= r[j * p + k]! * beta[k]!;
      beta[j] = s / r[j * p + j]!;
    }
    return beta;
  }

  /** The diagonal of (RᵀR)⁻¹ = R⁻¹R⁻ᵀ: variances of β up to the scale factor (σ² for OLS, 1 for logistic). */
  unscaledVariances(): Float64Array {
    const { p, r } = this;
    // R⁻¹ is upper triangular; column by column by back substitution.
    const inv = new Float64Array(p * p);
    for (let c = 0; c < p; c++) {
      for (let j = c; j >= 0; j--) {
        let s = j === c ? 1 : 0;
        for (let k = j + 1; k <= c; k++) s -= r[j * p + k]! * inv[k * p + c]!;
        inv[j * p + c] = s / r[j * p + j]!;
      }
    }
    const out = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += inv[j * p + k]! * inv[j * p + k]!;
      out[j] = s;
    }
    return out;
  }
}
