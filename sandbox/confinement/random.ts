// The host's randomness for confinement: which shard a contributor lands in and the order rows reach a model. It comes
// from node:crypto, never from anything a model could observe or predict (the partitions are the check's secret).
import { randomFillSync } from 'node:crypto';

/** A source of uniform integers; tests inject a seeded one. */
export interface ShuffleRandom {
  /** an integer in [0, n), n >= 1 */
  below(n: number): number;
}

/** Buffered crypto randomness: 32-bit words drawn 4,096 at a time, rejection-sampled to be exactly uniform. */
export function cryptoShuffleRandom(): ShuffleRandom {
  const words = new Uint32Array(4096);
  let next = words.length;
  const word = (): number => {
    if (next === words.length) {
      randomFillSync(words);
      next = 0;
    }
    return words[next++]!;
  };
  return {
    below(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new TypeError('below needs an integer from 1 to 2^32');
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const w = word();
        if (w < limit) return w % n;
      }
    },
  };
}

/** A seeded generator (xorshift128+ on 32-bit halves) for tests that need a reproducible partition. */
export function seededShuffleRandom(seed: number): ShuffleRandom {
  let a = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let b = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) >>> 0 || 2;
  return {
    below(n: number): number {
      let t = a ^ (a << 11);
      a = b;
      b = (b ^ (b >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      return Math.floor(((b >>> 0) / 2 ** 32) * n);
    },
  };
}

/** Fisher–Yates in place. */
export function shuffleInPlace(values: Int32Array, random: ShuffleRandom): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
