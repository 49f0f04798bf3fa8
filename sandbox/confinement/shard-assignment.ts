// Which shard of each partition a contributor lands in, decided as rows stream in: AES-128 under a key drawn for the
// job (a pseudorandom function the model never sees) of the contributor's 128-bit id. Every row of a contributor gets
// the same shards, every contributor gets shards that are uniform and independent of every other contributor's, and
// no table of contributors is kept: the memory does not grow with the data.
import { createCipheriv, randomFillSync } from 'node:crypto';
import type { ShuffleRandom } from './random.ts';

/** Shards per partition: the main partition first, then each check partition. */
export interface ShardCounts {
  readonly main: number;
  readonly checks: readonly number[];
}

export interface ShardAssigner {
  readonly counts: ShardCounts;
  /**
   * For `rows` units given as 4 words each (`units[4i…4i+3]`: a contributor's id, or a row's own number), the shard of
   * each partition: out[(1 + P) × i + p], p = 0 for main.
   */
  assign(units: Int32Array, rows: number): Int32Array;
}

/** A new assigner with a key from crypto randomness, or from `random` (tests: reproducible). */
export function shardAssigner(counts: ShardCounts, random?: ShuffleRandom): ShardAssigner {
  const partitions = 1 + counts.checks.length;
  const blocks = Math.ceil(partitions / 4);
  // one key per block of four partitions: every partition reads its own 32 bits of an AES output
  const keys = Array.from({ length: blocks }, () => {
    const key = new Uint8Array(16);
    if (random) for (let i = 0; i < 16; i++) key[i] = random.below(256);
    else randomFillSync(key);
    return key;
  });
  const sizes = [counts.main, ...counts.checks];
  for (const n of sizes) if (!Number.isInteger(n) || n < 1) throw new TypeError('every partition has at least one shard');
  return {
    counts,
    assign(units, rows) {
      const out = new Int32Array(partitions * rows);
      const input = Buffer.from(units.buffer, units.byteOffset, 16 * rows);
      for (let b = 0; b < blocks; b++) {
        const cipher = createCipheriv('aes-128-ecb', keys[b]!, null);
        cipher.setAutoPadding(false);
        const encrypted = Buffer.concat([cipher.update(input), cipher.final()]);
        const words = new Uint32Array(encrypted.buffer, encrypted.byteOffset, encrypted.length / 4);
        for (let k = 0; k < 4; k++) {
          const p = 4 * b + k;
          if (p >= partitions) break;
          const n = sizes[p]!;
          // multiply-shift: uniform within n / 2³² of exactly uniform
          for (let i = 0; i < rows; i++) out[partitions * i + p] = n === 1 ? 0 : Math.floor((words[4 * i + k]! * n) / 4294967296);
        }
      }
      return out;
    },
  };
}
