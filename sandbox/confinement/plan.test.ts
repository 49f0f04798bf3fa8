// The partition plan: every included row in exactly one shard of every partition, a contributor's rows together.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planConfinedRuns } from './plan.ts';
import { seededShuffleRandom } from './random.ts';

describe('planConfinedRuns', () => {
  it('puts every row with a contributor in exactly one shard per partition, each contributor whole', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 300 }), fc.integer(), (owners, seed) => {
        const of = Int32Array.from(owners);
        const plan = planConfinedRuns(of.length, { of, count: 31 }, seededShuffleRandom(seed), { maxShardRows: 50 });
        for (const partition of [plan.main, ...plan.checks]) {
          const seen = new Int32Array(of.length);
          const shardOfContributor = new Map<number, number>();
          partition.forEach((shard, s) => {
            for (const row of shard) {
              seen[row]!++;
              const c = of[row]!;
              expect(shardOfContributor.get(c) ?? s).toBe(s);
              shardOfContributor.set(c, s);
            }
          });
          for (let i = 0; i < of.length; i++) expect(seen[i]).toBe(of[i]! >= 0 ? 1 : 0);
        }
        expect(plan.excludedRows).toBe(owners.filter((o) => o < 0).length);
      }),
      { numRuns: 100 },
    );
  });

  it('splits the main partition by size and the checks into independent random shards', () => {
    const plan = planConfinedRuns(10_000, null, seededShuffleRandom(1), { maxShardRows: 3000, checkPartitions: 2, checkShards: 8 });
    expect(plan.main).toHaveLength(4);
    expect(plan.checks).toHaveLength(2);
    for (const check of plan.checks) expect(check).toHaveLength(8);
    // independent: two rows share a shard in both check partitions about 1/64 of the time, not always
    const shardIn = (partition: readonly Int32Array[]) => {
      const out = new Int32Array(10_000);
      partition.forEach((shard, s) => shard.forEach((r) => (out[r] = s)));
      return out;
    };
    const [a, b] = plan.checks.map(shardIn) as [Int32Array, Int32Array];
    let both = 0;
    for (let i = 0; i < 5000; i++) if (a[i] === a[i + 5000] && b[i] === b[i + 5000]) both++;
    expect(both / 5000).toBeGreaterThan(1 / 64 / 2);
    expect(both / 5000).toBeLessThan(1 / 64 * 2);
    // rows arrive in a random order: not ascending
    expect([...plan.main[0]!].every((r, k, all) => k === 0 || all[k - 1]! < r)).toBe(false);
  });

  it('never plans more check shards than contributors', () => {
    const plan = planConfinedRuns(3, null, seededShuffleRandom(2), { checkShards: 8 });
    for (const check of plan.checks) expect(check.length).toBeLessThanOrEqual(3);
  });
});
