// Confinement at scale, on real isolates: a job larger than one main shard streams in, spills to per-shard files and
// comes back as chunks of whole contributors — every row once — while models that are not row-local are still caught.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatePool, type IsolatePool } from '../execution/index.ts';
import { seededShuffleRandom } from './random.ts';
import { type ConfinedInput, type InputBatch, type MainChunk, runSharded } from './run-sharded.ts';

let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const N = 4000;
// 1,000 people with four rows each, rows of a person far apart (as a register's monthly records are)
const person = Int32Array.from({ length: N }, (_, i) => i % 1000);
const income = Float64Array.from({ length: N }, (_, i) => 1000 * (i % 89));
// five common regions and a rare one (row 1234 only): a model that looks at which values exist sees it in few runs
const region = Int32Array.from({ length: N }, (_, i) => (i === 1234 ? 5 : (i * 7) % 5));
const REGIONS = ['330102', '330105', '330106', '330108', '330110', '330100'];

/** The rows in batches of 700, as the database would hand them over; person 999 has no id (left out). */
function input(): ConfinedInput {
  return {
    fields: [
      { name: 'annual_income', kind: 'f64' },
      { name: 'region_code', kind: 'dict' },
    ],
    expectedRows: N,
    rowsAreContributors: false,
    extraWidth: 1,
    batches: (async function* () {
      for (let first = 0; first < N; first += 700) {
        const rows = Math.min(700, N - first);
        const units = new Int32Array(4 * rows);
        const excluded = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) {
          units.set([person[first + i]!, 17, 0, 0], 4 * i);
          excluded[i] = person[first + i] === 999 ? 1 : 0;
        }
        const batch: InputBatch = {
          rows,
          rowIds: Float64Array.from({ length: rows }, (_, i) => 10 * (first + i)),
          values: [income.slice(first, first + rows), region.slice(first, first + rows)],
          units,
          excluded,
          extra: Int32Array.from({ length: rows }, (_, i) => first + i),
        };
        yield batch;
      }
    })(),
    dictionary: () => REGIONS,
    boolMissing: () => false,
  };
}

const run = (code: string, chunks: MainChunk[] = [], seed = 1) =>
  runSharded(pool, { code, params: {}, asOf: 0, seed: 3 }, input(), (c) => void chunks.push(c), { maxShardRows: 1000, random: seededShuffleRandom(seed) });

const jobDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('gdp-job-'));

describe('runSharded beyond one main shard', () => {
  it('runs every shard of every partition, hands back whole contributors in row order, every row once, and leaves no file', async () => {
    const before = new Set(jobDirs());
    const chunks: MainChunk[] = [];
    const result = await run(`export function map(c) {
      const band = Array.from(c.annual_income, (x) => (x < 40000 ? 'low' : 'high'));
      return { keys: { band, region: c.region_code }, measures: { income: c.annual_income } };
    }`, chunks);
    expect(result).toMatchObject({ ok: true, rows: N, excludedRows: 4 });
    // 4 main shards of about 1,000 rows, and two check partitions of 8 shards
    expect(result.ok && result.runs).toBe(4 + 2 * 8);
    expect(chunks).toHaveLength(4);
    const seen = new Int32Array(N);
    const chunkOf = new Map<number, number>();
    chunks.forEach((chunk, k) => {
      expect(chunk.rowIds.every((id, j) => j === 0 || chunk.rowIds[j - 1]! < id)).toBe(true);
      expect(chunk.output.length).toBe(chunk.rowIds.length);
      chunk.positions.forEach((pos, j) => {
        seen[pos]!++;
        const who = chunk.units![4 * j]!;
        expect(chunkOf.get(who) ?? k).toBe(k);
        chunkOf.set(who, k);
        // what the model emitted for the row is the row's own value, and the extra words travelled with it
        expect(chunk.output.measures.get('income')![j]).toBe(income[pos]);
        expect(chunk.extra![j]).toBe(pos);
      });
      const key = chunk.output.keys.get('region')!;
      if (key.type !== 'dict') throw new Error('a string key');
      chunk.positions.forEach((pos, j) => expect(key.dictionary[key.codes[j]!]).toBe(REGIONS[region[pos]!]));
    });
    expect(Array.from(seen).filter((s, i) => s !== (person[i] === 999 ? 0 : 1))).toEqual([]);
    expect(jobDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  const notLocal: [string, string][] = [
    ['one row\'s value copied into every row', `export function map(c) {
      let t = NaN; for (let i = 0; i < c.annual_income.length; i++) if (c.region_code.dictionary[c.region_code.codes[i]] === '330110' && c.annual_income[i] === 88000) t = 1;
      return { measures: { m: Float64Array.from(c.annual_income, () => t) } };
    }`],
    ['the number of rows in the run', `export function map(c, p, info) { return { measures: { n: Float64Array.from(c.annual_income, () => info.rowCount) } }; }`],
    ['a row index', `export function map(c) { return { measures: { i: Float64Array.from(c.annual_income, (_, i) => i) } }; }`],
    ['Math.random per row', `export function map(c) { return { measures: { r: Float64Array.from(c.annual_income, () => Math.random()) } }; }`],
    ['whether a rare value exists among the other rows (the dictionary\'s size)', `export function map(c) { return { keys: { k: Array.from(c.region_code.codes, () => String(c.region_code.dictionary.length)) } }; }`],
  ];
  for (const [name, code] of notLocal) {
    it(`still catches a model that is not row-local: ${name}`, async () => {
      expect(await run(code)).toMatchObject({ ok: false, kind: 'not_local' });
    });
  }

  it('reports a failing run with its sandbox code, the first in plan order', async () => {
    expect(await run('export function map(c) { if (c.annual_income.length > 700) throw new TypeError("big"); return { keys: { r: c.region_code } }; }')).toMatchObject({ ok: false, kind: 'failed', code: 'RUNTIME_ERROR' });
  });
});
