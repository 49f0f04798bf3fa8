// The digests that compare partitions: blind to how rows were split and ordered, not blind to any change in what any
// row's emission says — one bit of one value, one label, one row more or less, a value moved to another row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyOutput, MapOutput } from '../execution/index.ts';
import { digestKey, PartitionDigest } from './emission-digest.ts';
import { seededShuffleRandom, shuffleInPlace } from './random.ts';

interface Emission {
  /** per job row: emitted or not, a label (null missing), an int key, a measure */
  readonly emitted: boolean[];
  readonly label: (string | null)[];
  readonly year: number[];
  readonly value: number[];
}

/** The output of one run that saw `rows` (job rows, in this order), as a model emits it. */
function runOutput(e: Emission, rows: readonly number[]): { output: MapOutput; positions: Int32Array } {
  const emittedAt: number[] = [];
  rows.forEach((r, q) => e.emitted[r] && emittedAt.push(q));
  // a run's own dictionary, in an order of its own
  const dictionary = [...new Set(emittedAt.map((q) => e.label[rows[q]!]).filter((l): l is string => l !== null))].reverse();
  const keys = new Map<string, KeyOutput>([
    ['label', { type: 'dict', codes: Int32Array.from(emittedAt, (q) => (e.label[rows[q]!] === null ? -1 : dictionary.indexOf(e.label[rows[q]!]!))), dictionary }],
    ['year', { type: 'int', values: Int32Array.from(emittedAt, (q) => e.year[rows[q]!]!) }],
  ]);
  return {
    output: { rowCount: rows.length, length: emittedAt.length, rows: Int32Array.from(emittedAt), keys, measures: new Map([['value', Float64Array.from(emittedAt, (q) => e.value[rows[q]!]!)]]), features: new Map(), label: null },
    positions: Int32Array.from(rows),
  };
}

/** The digest of a partition of `e` into `shards` random shards, each in random order. */
function digestOf(e: Emission, key: ReturnType<typeof digestKey>, shards: number, seed: number): PartitionDigest {
  const random = seededShuffleRandom(seed);
  const parts: number[][] = Array.from({ length: shards }, () => []);
  e.emitted.forEach((_, r) => parts[random.below(shards)]!.push(r));
  const digest = new PartitionDigest(key);
  for (const part of parts) {
    const order = shuffleInPlace(Int32Array.from(part), random);
    const { output, positions } = runOutput(e, [...order]);
    digest.add(output, positions);
  }
  return digest;
}

const emission = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    emitted: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    label: fc.array(fc.option(fc.string({ maxLength: 6 }), { nil: null }), { minLength: n, maxLength: n }),
    year: fc.array(fc.integer({ min: -5, max: 2100 }), { minLength: n, maxLength: n }),
    value: fc.array(fc.oneof(fc.double(), fc.constant(NaN), fc.constant(-0)), { minLength: n, maxLength: n }),
  }),
);

describe('partition digests', () => {
  it('agree however the rows are split and ordered', () => {
    fc.assert(
      fc.property(emission, fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (e, seed, a, b) => {
        const key = digestKey(seededShuffleRandom(seed));
        expect(digestOf(e, key, a, seed + 1).firstDifference(digestOf(e, key, b, seed + 2))).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('see any change in any row: which rows, a label, an integer key, a value (one bit), a value moved between rows', () => {
    const mutations: [string, (e: Emission, r: number) => Emission, string][] = [
      ['row dropped or added', (e, r) => ({ ...e, emitted: e.emitted.map((x, i) => (i === r ? !x : x)) }), 'rows'],
      ['label changed', (e, r) => ({ ...e, emitted: e.emitted.map((x, i) => x || i === r), label: e.label.map((x, i) => (i === r ? `${x ?? ''}x` : x)) }), 'keys'],
      ['label made missing', (e, r) => ({ ...e, emitted: e.emitted.map((x, i) => x || i === r), label: e.label.map((x, i) => (i === r ? (x === null ? '' : null) : x)) }), 'keys'],
      ['integer key changed', (e, r) => ({ ...e, emitted: e.emitted.map((x, i) => x || i === r), year: e.year.map((x, i) => (i === r ? x + 65536 : x)) }), 'keys'],
      ['value changed in its last bit', (e, r) => ({ ...e, emitted: e.emitted.map((x, i) => x || i === r), value: e.value.map((x, i) => (i === r ? nextUp(x) : x)) }), 'measures'],
    ];
    for (const [name, mutate, part] of mutations) {
      fc.assert(
        fc.property(emission, fc.integer(), fc.nat(), (e, seed, at) => {
          const r = at % e.emitted.length;
          const key = digestKey(seededShuffleRandom(seed));
          const changed = mutate(e, r);
          const a = digestOf({ ...e, emitted: e.emitted.map((x, i) => x || (i === r && part !== 'rows')) }, key, 3, seed);
          expect(a.firstDifference(digestOf(changed, key, 5, seed + 1)), name).toBe(part);
        }),
        { numRuns: 100 },
      );
    }
    // two rows' values swapped: the same multiset of values, in the wrong rows
    const e: Emission = { emitted: [true, true, true], label: ['a', 'a', 'a'], year: [1, 1, 1], value: [1, 2, 3] };
    const key = digestKey(seededShuffleRandom(3));
    expect(digestOf(e, key, 2, 1).firstDifference(digestOf({ ...e, value: [2, 1, 3] }, key, 2, 1))).toBe('measures');
  });

  it('make −0 and +0 one value, and every NaN one value (a value carries no bit the reductions ignore)', () => {
    const key = digestKey(seededShuffleRandom(5));
    const base: Emission = { emitted: [true, true], label: ['a', null], year: [0, 0], value: [0, NaN] };
    const other = new Float64Array([NaN]);
    new Uint32Array(other.buffer)[0] = 1; // a NaN with other payload bits
    expect(digestOf(base, key, 1, 1).firstDifference(digestOf({ ...base, value: [-0, other[0]!] }, key, 2, 2))).toBeNull();
  });
});

function nextUp(x: number): number {
  if (x !== x) return 0;
  if (x === Infinity) return -Infinity;
  const f = new Float64Array([x === 0 ? 0 : x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + 1n;
  return f[0]!;
}
