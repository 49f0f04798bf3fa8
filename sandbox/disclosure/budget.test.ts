import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BudgetLedger, chargeBudget, chargeBudgets, EMPTY_LEDGER, remainingBudget } from './budget.ts';

const caps = { perJob: 0.3, perLicence: 1 };
const req = (epsilon: number, dataset = 'population') => ({ licenseId: 'L1', dataset, epsilon });

describe('chargeBudget', () => {
  it('charges until exhausted, then refuses, exactly at the cap despite decimal ε', () => {
    let ledger: BudgetLedger = EMPTY_LEDGER;
    for (let i = 0; i < 10; i++) {
      const c = chargeBudget(ledger, req(0.1), caps);
      expect(c.ok).toBe(true);
      if (c.ok) ledger = c.ledger;
    }
    expect(remainingBudget(ledger, 'L1', 'population', caps)).toBe(0);
    const refused = chargeBudget(ledger, req(0.1), caps);
    expect(refused).toEqual({ ok: false, reason: 'exhausted', spent: 1, remaining: 0 });
    expect(ledger.version).toBe(10);
  });

  it('refuses more than one job may spend, and nonsense ε', () => {
    expect(chargeBudget(EMPTY_LEDGER, req(0.31), caps)).toMatchObject({ ok: false, reason: 'over_job_cap' });
    for (const e of [0, -1, NaN, Infinity]) expect(chargeBudget(EMPTY_LEDGER, req(e), caps)).toMatchObject({ ok: false, reason: 'invalid_epsilon' });
    // below the ledger's resolution, ε is charged rounded up, never down
    expect(chargeBudget(EMPTY_LEDGER, req(1e-9), caps)).toMatchObject({ ok: true, charged: 1e-6 });
  });

  it('keeps accounts per licence and dataset, and charges several datasets all or none', () => {
    const first = chargeBudgets(EMPTY_LEDGER, [req(0.3, 'a'), req(0.3, 'b')], caps);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(remainingBudget(first.ledger, 'L1', 'a', caps)).toBeCloseTo(0.7, 12);
    expect(remainingBudget(first.ledger, 'L2', 'a', caps)).toBe(1);
    let drained = first.ledger;
    for (let i = 0; i < 2; i++) {
      const c = chargeBudget(drained, req(0.3, 'b'), caps);
      if (c.ok) drained = c.ledger;
    }
    expect(remainingBudget(drained, 'L1', 'b', caps)).toBeCloseTo(0.1, 12);
    const both = chargeBudgets(drained, [req(0.2, 'a'), req(0.2, 'b')], caps);
    expect(both).toMatchObject({ ok: false, reason: 'exhausted' });
    expect(remainingBudget(drained, 'L1', 'a', caps)).toBeCloseTo(0.7, 12);
    expect(chargeBudgets(EMPTY_LEDGER, [req(0.2, 'a'), req(0.2, 'a')], caps)).toMatchObject({ ok: false, reason: 'over_job_cap' });
  });

  it('never spends past the cap nor goes negative, whatever the sequence (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ epsilon: fc.oneof(fc.double({ min: -1, max: 0.5, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.3)), dataset: fc.constantFrom('a', 'b') }), { maxLength: 40 }), (requests) => {
        let ledger: BudgetLedger = EMPTY_LEDGER;
        for (const r of requests) {
          const before = remainingBudget(ledger, 'L1', r.dataset, caps);
          const c = chargeBudget(ledger, req(r.epsilon, r.dataset), caps);
          if (c.ok) {
            ledger = c.ledger;
            expect(c.charged).toBeGreaterThanOrEqual(r.epsilon);
          } else expect(remainingBudget(ledger, 'L1', r.dataset, caps)).toBe(before);
          for (const a of ledger.accounts) {
            expect(a.spentMicro).toBeGreaterThanOrEqual(0);
            expect(a.spentMicro).toBeLessThanOrEqual(1_000_000);
          }
          expect(remainingBudget(ledger, 'L1', r.dataset, caps)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
