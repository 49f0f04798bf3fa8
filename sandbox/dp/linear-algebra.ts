// Small dense symmetric linear algebra for DP models (a few dozen terms at most): Cholesky factorisation, solves and
// inverses. Row-major Float64Arrays of size d×d.

/** The lower Cholesky factor of a symmetric d×d matrix, or null when it is not (numerically) positive definite. */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j]!;
    for (let k = 0; k < j; k++) diag -= l[j * d + k]! ** 2;
    if (!(diag > 0) || !Number.isFinite(diag)) return null;
    const ljj = Math.sqrt(diag);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b. */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/** (L Lᵀ)⁻¹, column by column. */
export function choleskyInverse(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, d, e);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i]!;
  }
  return inv;
}

/**
 * Factorises A + λI for the smallest λ of 0, λ0, 2λ0, 4λ0, … (40 doublings) that makes it positive definite: a noisy
 * Gram matrix may not be. Returns the factor and the λ used, or null when none works.
 */
export function ridgeCholesky(a: Float64Array, d: number, lambda0: number): { l: Float64Array; lambda: number } | null {
  for (let j = -1, lambda = 0; j <= 40; j++, lambda = lambda0 * 2 ** j) {
    const shifted = Float64Array.from(a);
    for (let i = 0; i < d; i++) shifted[i * d + i] = shifted[i * d + i]! + lambda;
    const l = cholesky(shifted, d);
    if (l) return { l, lambda };
  }
  return null;
}
