// Exact samplers for discrete noise (Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential Privacy",
// 2020, Algorithms 1-3). Every step is an integer comparison on rationals, so the output distribution is exactly the
// stated one: no floating-point Laplace, whose gaps and rounding leak the true value (Mironov 2012).

import type { RandomSource } from './random.ts';

/** True with probability num/den (0 <= num <= den). */
export function bernoulli(num: bigint, den: bigint, rng: RandomSource): boolean {
  return rng.below(den) < num;
}

/** True with probability exp(−num/den), num >= 0 (CKS Algorithm 1). */
export function bernoulliExp(num: bigint, den: bigint, rng: RandomSource): boolean {
  if (num < 0n || den <= 0n) throw new TypeError('bernoulliExp needs num >= 0 and den > 0');
  if (num <= den) {
    // K = first k with Bernoulli(γ/k) = 0; P(K odd) = e^(−γ).
    let k = 1n;
    while (bernoulli(num, den * k, rng)) k++;
    return k % 2n === 1n;
  }
  for (let i = num / den; i > 0n; i--) if (!bernoulliExp(1n, 1n, rng)) return false;
  return bernoulliExp(num % den, den, rng);
}

/** An integer z with P(z) ∝ exp(−|z|·s/t): the discrete Laplace of scale t/s (CKS Algorithm 2). s, t >= 1. */
export function discreteLaplace(s: bigint, t: bigint, rng: RandomSource): bigint {
  if (s < 1n || t < 1n) throw new TypeError('discreteLaplace needs s, t >= 1');
  for (;;) {
    const u = rng.below(t);
    if (!bernoulliExp(u, t, rng)) continue;
    let v = 0n;
    while (bernoulliExp(1n, 1n, rng)) v++;
    const y = (u + t * v) / s; // X = U + tV is geometric with P ∝ e^(−x/t); Y = ⌊X/s⌋ geometric with P ∝ e^(−ys/t)
    const negative = bernoulli(1n, 2n, rng);
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/** ⌊√n⌋ for n >= 0 (Newton's method on integers). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new TypeError('isqrt of a negative number');
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/** An integer z with P(z) ∝ exp(−z²/(2σ²)), σ² = num/den (CKS Algorithm 3). */
export function discreteGaussian(num: bigint, den: bigint, rng: RandomSource): bigint {
  if (num <= 0n || den <= 0n) throw new TypeError('discreteGaussian needs σ² > 0');
  const t = isqrt(num / den) + 1n; // ⌊σ⌋ + 1
  for (;;) {
    const y = discreteLaplace(1n, t, rng);
    const a = y < 0n ? -y : y;
    // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·den·t − num)² / (2·num·den·t²)).
    const d = a * den * t - num;
    if (bernoulliExp(d * d, 2n * num * den * t * t, rng)) return y;
  }
}
