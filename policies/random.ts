// A small seeded generator (sfc32 keyed by a cyrb128 hash of the seed) for synthetic samples: same seed, same sample.
// Not for secrets: keys come from node:crypto.

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
    for (let i = 0; i < seed.length; i++) {
      const k = seed.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.a = Math.imul(h3 ^ (h1 >>> 18), 597399067) >>> 0;
    this.b = Math.imul(h4 ^ (h2 >>> 22), 2869860233) >>> 0;
    this.c = Math.imul(h1 ^ (h3 >>> 17), 951274213) >>> 0;
    this.d = Math.imul(h2 ^ (h4 >>> 19), 2716044179) >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** 32 random bits as an unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Index drawn with probability proportional to `weights[i]` (cumulative weights, ascending, last = total). */
  pickCumulative(cumulative: readonly number[]): number {
    const x = this.float() * (cumulative[cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < (cumulative[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
