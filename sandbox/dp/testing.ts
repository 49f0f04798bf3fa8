// A seeded RandomSource for tests (sfc32): same seed, same noise, so statistical tests are deterministic.
// Never for real releases: anyone who knew the seed could subtract the noise.

import { Random } from '../../data/index.ts';
import type { RandomSource } from './random.ts';

export class SeededRandom implements RandomSource {
  /** the data generators' sfc32, on the stream of this seed */
  private readonly source: Random;

  constructor(seed: number) {
    this.source = new Random(seed);
  }

  /** 32 random bits, unsigned. */
  next(): number {
    return this.source.nextUint32();
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
