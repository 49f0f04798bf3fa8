// The randomness DP noise draws on: injectable, so tests can use a seeded source; in production node:crypto.

import { randomBytes, randomInt } from 'node:crypto';

/** Uniform integers. Implementations must be unpredictable to anyone who sees released results (cryptoRandom is). */
export interface RandomSource {
  /** a uniform integer in [0, n); n >= 1 */
  below(n: bigint): bigint;
}

const RANDOM_INT_LIMIT = 2n ** 48n; // node:crypto randomInt needs max - min < 2^48

/** node:crypto's CSPRNG: randomInt below 2^48, rejection sampling over randomBytes above. */
export const cryptoRandom: RandomSource = {
  below(n: bigint): bigint {
    if (n < 1n) throw new TypeError('n must be at least 1');
    if (n < RANDOM_INT_LIMIT) return BigInt(randomInt(0, Number(n)));
    const bits = n.toString(2).length;
    const bytes = Math.ceil(bits / 8);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      const x = BigInt(`0x${randomBytes(bytes).toString('hex')}`) & mask;
      if (x < n) return x;
    }
  },
};
