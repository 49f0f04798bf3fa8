import { describe, expect, it } from 'vitest';
import { dominance } from './dominance.ts';
import { redactAndRound, roundTo } from './round.ts';

describe('roundTo', () => {
  it('rounds to the nearest multiple, halves away from zero', () => {
    expect(roundTo(12, 5)).toBe(10);
    expect(roundTo(12.5, 5)).toBe(15);
    expect(roundTo(-12.5, 5)).toBe(-15);
    expect(roundTo(7, 1)).toBe(7);
    expect(roundTo(1234, 10)).toBe(1230);
    expect(roundTo(0.35, 0.1)).toBe(0.4);
  });

  it('refuses a bad base or value', () => {
    expect(() => roundTo(1, 0)).toThrow(TypeError);
    expect(() => roundTo(NaN, 5)).toThrow(TypeError);
  });
});

describe('redactAndRound (OpenSAFELY)', () => {
  it('redacts counts of 1 to 7 and rounds the rest to 5', () => {
    expect([0, 1, 7, 8, 12, 13, 100].map((n) => redactAndRound(n))).toEqual([0, null, null, 10, 10, 15, 100]);
    expect(redactAndRound(0, { redactZero: true })).toBeNull();
    expect(redactAndRound(9, { redactAtOrBelow: 9, base: 10 })).toBeNull();
  });
});

describe('dominance', () => {
  it('flags a cell where one firm holds 95 %', () => {
    expect(dominance({ top1: 95, top2: 1, total: 100 }).dominated).toBe(true);
  });

  it('flags two firms holding 90 % together, and passes a spread-out cell', () => {
    expect(dominance({ top1: 50, top2: 40, total: 100 })).toEqual({ dominated: true, share: 0.9 });
    expect(dominance({ top1: 30, top2: 20, total: 100 }).dominated).toBe(false);
    expect(dominance({ top1: 0, top2: 0, total: 0 }).dominated).toBe(false);
  });

  it('takes another share if asked, and refuses nonsense', () => {
    expect(dominance({ top1: 70, top2: 10, total: 100 }, { n: 2, k: 0.8 }).dominated).toBe(true);
    expect(() => dominance({ top1: -1, top2: 0, total: 1 })).toThrow(TypeError);
  });
});
