// DP partition selection (Gaussian thresholding; Korolova et al. 2009, Desfontaines et al. 2022): which groups a
// release may name when their labels come from the data rather than from a declared or public domain. A group is
// named only if its noisy count of contributors clears a threshold that a group of one contributor clears with
// probability at most δ/k — so a label that only one person's rows carry (a name, a packed row) is never shown,
// except with probability δ.

/** Φ̄⁻¹(q): the z with P(N(0,1) > z) = q, for 0 < q < 1 (Acklam's rational approximation, one Halley step). */
export function upperNormalQuantile(q: number): number {
  if (!(q > 0 && q < 1)) throw new TypeError('q must be in (0, 1)');
  return -lowerNormalQuantile(q);
}

function lowerNormalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number => {
    const t = Math.sqrt(-2 * Math.log(q));
    return (((((c[0]! * t + c[1]!) * t + c[2]!) * t + c[3]!) * t + c[4]!) * t + c[5]!) / ((((d[0]! * t + d[1]!) * t + d[2]!) * t + d[3]!) * t + 1);
  };
  let x: number;
  if (p < 0.02425) x = tail(p);
  else if (p > 1 - 0.02425) x = -tail(1 - p);
  else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  // Halley refinement against P(N(0,1) < x) = p
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** erfc with relative error < 1.2e-7 (Numerical Recipes' erfcc), enough for a threshold. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/**
 * The threshold for noisy contributor counts with noise sd `sd`, when one contributor may be in up to `k` groups:
 * a group of one contributor passes with probability δ/k at most, so all of one person's unique groups together pass
 * with probability δ at most. A small safety factor covers the approximation of Φ̄⁻¹.
 */
export function selectionThreshold(sd: number, k: number, delta: number): number {
  if (!(sd > 0) || !Number.isInteger(k) || k < 1) throw new TypeError('selectionThreshold needs sd > 0 and an integer k >= 1');
  return 1 + sd * upperNormalQuantile(delta / k) * 1.001;
}
