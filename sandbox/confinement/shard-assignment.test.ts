// Shard assignment by a keyed function of the contributor: whole contributors, uniform shards, partitions independent
// of each other and of the next job's.
import { describe, expect, it } from 'vitest';
import { seededShuffleRandom } from './random.ts';
import { shardAssigner } from './shard-assignment.ts';

/** 4 words per row: contributor c's id is (c, c * 7, 0, 1). */
function units(of: readonly number[]): Int32Array {
  const out = new Int32Array(4 * of.length);
  of.forEach((c, i) => out.set([c, c * 7, 0, 1], 4 * i));
  return out;
}

describe('shardAssigner', () => {
  it('gives every row of a contributor the same shard in every partition, whichever batch it arrives in', () => {
    const assigner = shardAssigner({ main: 5, checks: [8, 8, 8, 8, 8] }, seededShuffleRandom(1));
    const of = Array.from({ length: 3000 }, (_, i) => i % 700);
    const first = assigner.assign(units(of.slice(0, 1000)), 1000);
    const second = assigner.assign(units(of.slice(1000)), 2000);
    const at = (i: number, p: number) => (i < 1000 ? first[6 * i + p]! : second[6 * (i - 1000) + p]!);
    for (let i = 0; i < 3000; i++) {
      for (let p = 0; p < 6; p++) {
        expect(at(i, p)).toBe(at(i % 700, p));
        expect(at(i, p)).toBeLessThan(p === 0 ? 5 : 8);
      }
    }
  });

  it('spreads contributors evenly and independently: two share a shard in both check partitions 1/64 of the time', () => {
    const n = 40_000;
    const assigner = shardAssigner({ main: 3, checks: [8, 8] }, seededShuffleRandom(2));
    const at = assigner.assign(units(Array.from({ length: n }, (_, c) => c)), n);
    const sizes = new Int32Array(8);
    for (let i = 0; i < n; i++) sizes[at[3 * i + 1]!]!++;
    for (const s of sizes) expect(Math.abs(s - n / 8)).toBeLessThan(5 * Math.sqrt(n / 8));
    let both = 0;
    for (let i = 0; i < n; i += 2) if (at[3 * i + 1] === at[3 * (i + 1) + 1] && at[3 * i + 2] === at[3 * (i + 1) + 2]) both++;
    expect(both / (n / 2)).toBeGreaterThan(1 / 64 / 1.5);
    expect(both / (n / 2)).toBeLessThan((1 / 64) * 1.5);
  });

  it('draws a new key per job: the next job puts the same contributors elsewhere', () => {
    const u = units(Array.from({ length: 1000 }, (_, c) => c));
    const a = shardAssigner({ main: 1, checks: [8] }).assign(u, 1000);
    const b = shardAssigner({ main: 1, checks: [8] }).assign(u, 1000);
    let same = 0;
    for (let i = 0; i < 1000; i++) if (a[2 * i + 1] === b[2 * i + 1]) same++;
    expect(same).toBeLessThan(250);
    for (let i = 0; i < 1000; i++) expect(a[2 * i]).toBe(0);
  });
});
