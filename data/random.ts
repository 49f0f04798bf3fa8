// Seeded, deterministic pseudo-random numbers (sfc32) with the sampling helpers the generators need.
//
// Only 32-bit integer arithmetic (Math.imul, >>> 0) feeds the generator state, so a seed gives the same stream on
// every machine. normal/lognormal also use Math.log/sqrt/cos/exp: V8 implements those with its fdlibm port, which is
// the same on every platform, so outputs match across machines running the same Node major version.

/** Four 32-bit words derived from a seed; the root of every stream of a generation run. */
export type SeedKey = readonly [number, number, number, number];

const MAX_SEED_LENGTH = 128;

/**
 * Canonical text of a seed, so `42` and `'42'` give the same data (the CLI only ever sees text).
 * Throws RangeError for a number that is not a safe integer, an empty or over-long string, or control characters.
 */
export function normalizeSeed(seed: string | number): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a string, got ${seed}`);
    return String(seed);
  }
  if (typeof seed !== 'string') throw new RangeError('seed must be a string or a number');
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  if (seed.length > MAX_SEED_LENGTH) throw new RangeError(`seed must be at most ${MAX_SEED_LENGTH} characters`);
  // Control characters would make the seed impossible to retype from a log line.
  if (/[\u0000-\u001f\u007f]/.test(seed)) throw new RangeError('seed must not contain control characters');
  return seed;
}

/** cyrb128: a fast 128-bit string hash, good enough to spread similar seeds ("a1", "a2") far apart. */
function cyrb128(text: string): SeedKey {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * Key for one named stream of a seed. Each dataset (and each purpose inside one) uses its own label so that,
 * for one seed, population and legal_persons do not replay the same random numbers.
 */
export function deriveSeedKey(seed: string | number, label: string): SeedKey {
  return cyrb128(`${label}\u0000${normalizeSeed(seed)}`);
}

/** murmur3 finaliser: a cheap full-avalanche 32-bit mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/** A weighted choice table: cumulative weights precomputed once, each pick is a binary search. */
export class WeightedTable<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(entries: Iterable<readonly [T, number]>) {
    const values: T[] = [];
    const cum: number[] = [];
    let total = 0;
    for (const [value, weight] of entries) {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be finite and >= 0, got ${weight}`);
      if (weight === 0) continue;
      total += weight;
      values.push(value);
      cum.push(total);
    }
    if (values.length === 0) throw new RangeError('a weighted table needs at least one positive weight');
    this.values = values;
    this.cumulative = Float64Array.from(cum);
    this.total = total;
  }

  /** Value whose cumulative interval holds `u * total`, for u in [0, 1). */
  at(u: number): T {
    const target = u * this.total;
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, passes PractRand): 128 bits of state, 32-bit output.
 * A single instance can be re-pointed at any (key, index) sub-stream with `reseed`, which is how generators make
 * row i reproducible on its own, without generating rows 0..i-1 and without allocating per row.
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: string | number | SeedKey = 0, index = 0) {
    const key = typeof seed === 'object' ? seed : deriveSeedKey(seed, 'random');
    this.reseed(key, index);
  }

  /** Restart on the sub-stream `index` (0 <= index < 2^53) of `key`. */
  reseed(key: SeedKey, index: number): this {
    const lo = index >>> 0;
    const hi = Math.floor(index / TWO_POW_32) >>> 0;
    const s = fmix32(key[0] ^ Math.imul(lo, 0x9e3779b1) ^ fmix32(hi + 0x632be5ab));
    this.a = fmix32(s ^ key[1]);
    this.b = fmix32(this.a + key[2] + lo);
    this.c = fmix32(this.b ^ key[3] ^ hi);
    this.d = 1; // sfc32's counter word
    // A few rounds decorrelate nearby indices beyond what the mixing above already does.
    for (let i = 0; i < 6; i++) this.nextUint32();
    return this;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive; the range must fit in 2^32. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  weighted<T>(table: WeightedTable<T>): T {
    return table.at(this.float());
  }

  /** Normal deviate (Box-Muller; one draw per call so the stream position never depends on a cached spare). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.float(); // (0, 1], keeps log finite
    const u2 = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal deviate given the median (= e^mu) and sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson deviate (Knuth's product method; fine for the small means used here, capped for safety). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit && k < 1000) {
      k++;
      p *= this.float();
    }
    return k;
  }
}
