// The runner of runSharded (how shard runs of a large job reach other workers: sandbox/jobs/shard-runs.ts): used only
// beyond one main shard, with more runs in flight than the pool has isolates, the same result as the pool's, and the
// first failure in plan order whatever order the runs come back in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatePool, type IsolatePool, type ModelJob, type ModelJobResult } from '../execution/index.ts';
import { seededShuffleRandom } from './random.ts';
import { type ConfinedInput, type ConfinementOptions, type MainChunk, runSharded } from './run-sharded.ts';

let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const N = 3000;
const income = Float64Array.from({ length: N }, (_, i) => 100 * (i % 97));

function input(): ConfinedInput {
  return {
    fields: [{ name: 'income', kind: 'f64' }],
    expectedRows: N,
    rowsAreContributors: true,
    extraWidth: 0,
    batches: (async function* () {
      for (let first = 0; first < N; first += 500) {
        const rows = Math.min(500, N - first);
        yield { rows, rowIds: Float64Array.from({ length: rows }, (_, i) => first + i), values: [income.slice(first, first + rows)], units: null, excluded: null, extra: null };
      }
    })(),
    dictionary: () => [],
    boolMissing: () => false,
  };
}

const CODE = 'export function map(c) { return { keys: { band: Array.from(c.income, (x) => (x < 5000 ? "low" : "high")) }, measures: { income: c.income } }; }';

/** A runner on the same pool that answers late, in reverse order of arrival for runs in flight together. */
function slowRunner(fail?: (job: ModelJob) => boolean) {
  const seen = { calls: 0, inFlight: 0, peak: 0 };
  const runner = async (job: ModelJob): Promise<ModelJobResult> => {
    seen.calls++;
    seen.inFlight++;
    seen.peak = Math.max(seen.peak, seen.inFlight);
    const k = seen.calls;
    try {
      const result = await pool.run(job);
      await new Promise((r) => setTimeout(r, 60 - 5 * (k % 10)));
      return fail?.(job) ? { ok: false, code: 'RUNTIME_ERROR', reason: `run ${k}`, usage: null } : result;
    } finally {
      seen.inFlight--;
    }
  };
  return { seen, runner };
}

async function run(options: ConfinementOptions) {
  const chunks: MainChunk[] = [];
  const result = await runSharded(pool, { code: CODE, params: {}, asOf: 0, seed: 1 }, input(), (c) => void chunks.push(c), { random: seededShuffleRandom(4), ...options });
  const byRow = chunks.flatMap((c) => Array.from(c.rowIds, (id, j) => [id, c.output.measures.get('income')![j]!])).sort((a, b) => a[0]! - b[0]!);
  return { result, byRow };
}

describe('runSharded with a runner', () => {
  it('sends every run of a large job through the runner, more at once than the pool has, with the pool\'s result', async () => {
    const local = await run({ maxShardRows: 1000 });
    const { seen, runner } = slowRunner();
    const shared = await run({ maxShardRows: 1000, runner });
    expect(local.result).toMatchObject({ ok: true, rows: N });
    expect(shared.result).toEqual(local.result);
    expect(shared.byRow).toEqual(local.byRow);
    expect(seen.calls).toBe(local.result.runs);
    expect(seen.peak).toBeGreaterThan(pool.size);
    expect(seen.peak).toBeLessThanOrEqual(2 * pool.size + 2);
  });

  it('keeps a job of one main shard on the pool', async () => {
    const { seen, runner } = slowRunner();
    expect(await run({ runner })).toMatchObject({ result: { ok: true, rows: N } });
    expect(seen.calls).toBe(0);
  });

  it('reports the first failing run in plan order, however the runs come back', async () => {
    // runs of 750 rows at most fail: the check shards, never the main ones (about 1,000 rows each)
    const { runner } = slowRunner((job) => (job.columns.income as Float64Array).length < 750);
    const { result } = await run({ maxShardRows: 1000, runner });
    expect(result).toMatchObject({ ok: false, kind: 'failed', code: 'RUNTIME_ERROR' });
    // 3 main shards come first in the plan: the failure reported is the first check shard's, the plan's 4th run
    expect(result.ok === false && result.kind === 'failed' && result.reason).toBe('run 4');
  });
});
