// A seeded RandomSource for tests (sfc32): same seed, same noise, so statistical tests are deterministic.
// Never for real releases: anyone who knew the seed could subtract the noise.

import type { RandomSource } from './random.ts';

export class SeededRandom implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed | 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** 32 random bits, unsigned. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  below(n: bigint): bigint {
    if (n < 1n) throw new TypeError('n must be at least 1');
    if (n <= 0x100000000n) {
      const m = Number(n);
      const limit = Math.floor(0x100000000 / m) * m; // rejection keeps it exactly uniform
      for (;;) {
        const x = this.next();
        if (x < limit) return BigInt(x % m);
      }
    }
    const bits = n.toString(2).length;
    const words = Math.ceil(bits / 32);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      let x = 0n;
      for (let w = 0; w < words; w++) x = (x << 32n) | BigInt(this.next());
      x &= mask;
      if (x < n) return x;
    }
  }
}
