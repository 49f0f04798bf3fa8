// 95 % intervals of released noisy values: where the true (noise-free) statistic lies, given the noise the platform
// added. Computed from the noisy values and the public noise scales only (post-processing: they cost no budget).

export const Z95 = 1.959963984540054;

export type Interval = readonly [number, number];

/** value ± z·sd, optionally clipped to [min, max]. */
export function symmetric(value: number, sd: number, clip?: { min?: number; max?: number }): Interval {
  let lo = value - Z95 * sd;
  let hi = value + Z95 * sd;
  if (clip?.min !== undefined) lo = Math.max(clip.min, lo);
  if (clip?.max !== undefined) hi = Math.min(clip.max, hi);
  return [lo, Math.max(lo, hi)];
}

/** A ratio S/N of two independent noisy values (a mean): delta method, clipped to the declared bounds. */
export function ratio(mean: number, n: number, sdSum: number, sdN: number, centre: number, bounds: { lo: number; hi: number }): Interval | null {
  if (!(n >= 1)) return null;
  const sd = Math.sqrt(sdSum * sdSum + (mean - centre) * (mean - centre) * sdN * sdN) / n;
  return symmetric(mean, sd, { min: bounds.lo, max: bounds.hi });
}

/**
 * An interval by simulation: redraw the noise around the released noisy inputs `draws` times, recompute, take the
 * 2.5th and 97.5th percentiles. Any function of noisy inputs works (a variance, a regression). The generator is a
 * fixed-seed PRNG: these draws hide nothing, they only measure spread.
 */
export function simulated(inputs: readonly number[], sds: readonly number[], f: (x: readonly number[]) => number, draws = 200, seed = 1): Interval | null {
  const normal = gaussianSource(seed);
  const out: number[] = [];
  const x = new Array<number>(inputs.length);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < inputs.length; i++) x[i] = inputs[i]! + sds[i]! * normal();
    const y = f(x);
    if (Number.isFinite(y)) out.push(y);
  }
  if (out.length < draws / 2) return null;
  out.sort((a, b) => a - b);
  return [out[Math.floor(0.025 * (out.length - 1))]!, out[Math.ceil(0.975 * (out.length - 1))]!];
}

/** Standard normal draws (Box–Muller over a seeded sfc32): for measuring spread, never for privacy noise. */
export function gaussianSource(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return ((t >>> 0) + 0.5) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}
