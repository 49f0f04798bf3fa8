// The real read overlapping the preflight: whenever the preflight's verdict arrives — before the first batch, in the
// middle of the read, or after the last batch — a failed one means no real row ever reaches a model run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfinedInput, type InputBatch, runSharded } from '../confinement/index.ts';
import { createIsolatePool, type IsolatePool, type ModelJob } from '../execution/index.ts';
import { afterPreflight, PreflightFailed } from './preflight-gate.ts';
import type { PreflightResult } from './preflight.ts';

let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

const BATCHES = 5;
const ROWS = 100;
const FAILED = { ok: false, code: 'RUNTIME_ERROR', reason: 'TypeError thrown at line 1, column 1 [before any data was read, on synthetic rows]' } as const;

/** Rows as the database hands them over; `pulled` counts the batches read so far. */
function realInput(onBatch: (k: number) => Promise<void> = async () => {}) {
  const state = { pulled: 0, closed: false };
  const input: ConfinedInput = {
    fields: [{ name: 'income', kind: 'f64' }],
    expectedRows: BATCHES * ROWS,
    rowsAreContributors: true,
    extraWidth: 0,
    batches: (async function* () {
      try {
        for (let k = 0; k < BATCHES; k++) {
          await onBatch(k);
          state.pulled++;
          const batch: InputBatch = { rows: ROWS, rowIds: Float64Array.from({ length: ROWS }, (_, i) => k * ROWS + i), values: [Float64Array.from({ length: ROWS }, (_, i) => i)], units: null, excluded: null, extra: null };
          yield batch;
        }
      } finally {
        state.closed = true;
      }
    })(),
    dictionary: () => [],
    boolMissing: () => false,
  };
  return { input, state };
}

/** The pool, counting the model runs it was asked for. */
function counting(): { pool: IsolatePool; runs: ModelJob[] } {
  const runs: ModelJob[] = [];
  return { runs, pool: { size: pool.size, stats: () => pool.stats(), close: async () => {}, run: (job) => (runs.push(job), pool.run(job)) } };
}

const MODEL = { code: 'export function map(c) { return { measures: { m: c.income } }; }', params: {}, asOf: 0, seed: 7 };
const deferred = () => {
  let resolve!: (v: PreflightResult) => void;
  const promise = new Promise<PreflightResult>((r) => (resolve = r));
  return { promise, resolve };
};

describe('the preflight gate on the real read', () => {
  it('a verdict that fails after the last batch was read: no run starts, the read is dropped', async () => {
    const verdict = deferred();
    const { input, state } = realInput();
    const { pool: p, runs } = counting();
    const run = runSharded(p, MODEL, afterPreflight(input, verdict.promise), () => {});
    await new Promise((r) => setTimeout(r, 50));
    expect(state.pulled).toBe(BATCHES); // the read went on meanwhile
    expect(runs).toHaveLength(0); // but nothing ran on it
    verdict.resolve(FAILED);
    const err = await run.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightFailed);
    expect((err as PreflightFailed).verdict).toEqual(FAILED);
    expect(runs).toHaveLength(0);
  });

  it('a verdict that fails in the middle of the read stops the read at the next batch', async () => {
    const verdict = deferred();
    const { input, state } = realInput(async (k) => {
      if (k === 2) {
        verdict.resolve(FAILED);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    const { pool: p, runs } = counting();
    await expect(runSharded(p, MODEL, afterPreflight(input, verdict.promise), () => {})).rejects.toBeInstanceOf(PreflightFailed);
    expect(state.pulled).toBe(3);
    expect(state.closed).toBe(true); // the database cursor is let go
    expect(runs).toHaveLength(0);
  });

  it('a passing verdict lets every row through to the runs, with the check partitions', async () => {
    const { input } = realInput();
    const { pool: p, runs } = counting();
    let rows = 0;
    const result = await runSharded(p, MODEL, afterPreflight(input, Promise.resolve({ ok: true })), (chunk) => void (rows += chunk.rowIds.length));
    expect(result).toMatchObject({ ok: true, rows: BATCHES * ROWS });
    expect(rows).toBe(BATCHES * ROWS);
    expect(runs.length).toBe(1 + 2 * 8);
  });

  it("a preflight that throws (a platform fault) ends the run with that error, and nothing runs", async () => {
    const { input } = realInput();
    const { pool: p, runs } = counting();
    const verdict = Promise.reject(new Error('database gone'));
    verdict.catch(() => {});
    await expect(runSharded(p, MODEL, afterPreflight(input, verdict), () => {})).rejects.toThrow('database gone');
    expect(runs).toHaveLength(0);
  });
});
