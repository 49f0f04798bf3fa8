// Red team, family 4 of the privacy issue: failures carry values. A model that throws when the target's income is high
// learns a bit per job from "failed" against "succeeded"; one that throws at a line chosen by the value learns ~18
// bits from the reported line; one that holds memory in proportion to the value, or spins, reads it back from the
// usage figures or the completion time. What the platform shows, and how many such bits a day it allows, is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET } from '../sandbox/jobs/testing.ts';
import { createIsolatePool } from '../sandbox/execution/index.ts';
import { createRange, IS_TARGET, recordFinding, TARGET, type Range } from './range.ts';

let range: Range;
beforeAll(async () => {
  range = await createRange();
}, 120_000);
afterAll(async () => {
  await range?.close();
});

const FIELDS = [{ code: 'population', fields: ['sex', 'birth_date', 'region_code', 'annual_income'] }];
const COUNT = `return { keys: { sex: c.sex } };`;
const spentOnPopulation = async () =>
  (await range.gw.services.database.sql.query<{ n: string | number }>("select coalesce(sum(rho_spent_nano), 0) as n from dataset_budgets where dataset = 'population'"))[0]!.n;

describe('family 4: failures carry values', () => {
  it('throwing when the target\'s income is over x: one fixed code, charged like a release, and after three the licence stops', async () => {
    const op = await range.attacker();
    // binary search on the income: high guesses throw ("≥ x"), low ones succeed
    const probe = (x: number) => `export function map(c) {
      for (let i = 0; i < c.sex.codes.length; i++) if (${IS_TARGET()} && c.annual_income[i] >= ${x}) throw new RangeError('over');
      ${COUNT}
    }`;
    const before = Number(await spentOnPopulation());
    const outcomes: string[] = [];
    const reasons = new Set<string>();
    for (const x of [10_000, 20_000, 40_000, 50_000]) {
      const attempt = await range.attempt(op, { datasets: FIELDS, code: probe(x) });
      outcomes.push(attempt.refused ? `refused:${attempt.refused.code}` : attempt.status);
      if (attempt.error) reasons.add(`${attempt.error.code}: ${attempt.error.reason}`);
      // nothing but the slot is shown of a real run: no line, no class, no memory or CPU figure
      if (!attempt.refused) expect(Object.keys(attempt.usage ?? {})).toEqual(['slotMs']);
    }
    // three failures, then the licence is in review and the search stops: at most three bits a day
    expect(outcomes.slice(0, 3)).toEqual(['failed', 'failed', 'failed']);
    expect(outcomes[3]).toMatch(/^refused:/);
    expect([...reasons]).toEqual(['RUN_FAILED: the model failed on the real data; dry-run it on synthetic data to see why']);
    // every failed run on real data was charged to the dataset's budget like a release (no refund)
    expect(Number(await spentOnPopulation()) - before).toBeGreaterThan(0);
    const [alert] = await range.gw.services.database.sql.query<{ kind: string }>("select kind from alerts where operator_id = $1 and kind = 'failed-runs'", [op.id]);
    expect(alert).toBeDefined();
    recordFinding('4 failures', 'binary search: throw when income ≥ x', { outcomes, reasons: [...reasons], rhoChargedNano: Number(await spentOnPopulation()) - before });
  });

  it('throwing at a line chosen by the value: the reason is the same whatever the line', async () => {
    const reasons = new Set<string>();
    for (const pick of [1, 2]) {
      const op = await range.attacker();
      // one of many lines throws, chosen by a digit of the income (only the target's row can trigger it)
      const lines = Array.from({ length: 10 }, (_, d) => `      if (d === ${d}) throw new Error('line ${d}');`).join('\n');
      const code = `export function map(c) {
  for (let i = 0; i < c.sex.codes.length; i++) {
    if (${IS_TARGET()}) {
      const d = (Math.floor(c.annual_income[i] / ${pick === 1 ? 1000 : 10_000}) % 10);
${lines}
    }
  }
  ${COUNT}
}`;
      const attempt = await range.attempt(op, { datasets: FIELDS, code });
      expect(attempt.status).toBe('failed');
      reasons.add(`${attempt.error!.code}|${attempt.error!.reason}`);
    }
    expect(reasons.size).toBe(1);
    expect([...reasons][0]).not.toMatch(/line|column|\d/);
    recordFinding('4 failures', 'throw at a line chosen by a digit of the value', { distinctReasons: reasons.size, reason: [...reasons][0] });
  });

  it('holding memory in proportion to the value, or spinning: no figure comes back, and the run takes its slot either way', async () => {
    // a worker with a realistic slot (1.5 s): the work below takes far less, so both runs end at the slot
    const pool = createIsolatePool({ size: 2 });
    const slow = createWorker({ database: range.gw.services.database, pool, policies: range.gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: { baseMs: 1500, perMillionCellsMs: 0 } });
    try {
      const durations: number[] = [];
      for (const spin of [false, true]) {
        const op = await range.attacker();
        const code = `export function map(c) {
          let keep = [];
          for (let i = 0; i < c.sex.codes.length; i++) if (${IS_TARGET()}) {
            // memory and CPU in proportion to the secret (spin: ~400 ms per 57,000)
            for (let k = 0; k < c.annual_income[i] / 10; k++) keep.push(new Array(8).fill(k));
            if (${spin}) { const end = Date.now(); let x = 0; for (let k = 0; k < c.annual_income[i] * 2000; k++) x += k; keep.push(x); }
          }
          return { keys: { sex: c.sex }, measures: { m: Float64Array.from(c.sex.codes, () => keep.length > -1 ? 1 : 0) } };
        }`;
        const headers = { ...(await op.bearer()), 'content-type': 'application/json' };
        const res = await op.request('/operator/jobs', { method: 'POST', headers, body: JSON.stringify({ licenseId: op.licenseId, datasets: FIELDS, code }) });
        const { id } = (await res.json()) as { id: string };
        while (await slow.runOnce());
        const view = (await (await op.request(`/operator/jobs/${id}`, { headers })).json()) as { status: string; usage: Record<string, unknown>; startedAt: string; finishedAt: string };
        expect(view.status).toBe('succeeded');
        expect(view.usage).toEqual({ slotMs: 1500 });
        durations.push(Date.parse(view.finishedAt) - Date.parse(view.startedAt));
      }
      // both end at the slot (plus a commit): the spinning one shows nothing of its extra work
      for (const d of durations) expect(d).toBeGreaterThanOrEqual(1500);
      expect(Math.abs(durations[0]! - durations[1]!)).toBeLessThan(250);
      recordFinding('4 failures', 'memory and CPU in proportion to the value', { usageShown: ['slotMs'], durationsMs: durations });
      void TARGET;
    } finally {
      await pool.close();
    }
  });
});
