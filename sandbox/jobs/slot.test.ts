// The slot's figures: the default is unchanged (1 s + 4 s per million cells, in 100 ms steps); only a slot configured
// under 100 ms keeps 10 ms steps instead of being held to 100 ms.
import { describe, expect, it } from 'vitest';
import { paddedMs, slotMs } from './slot.ts';

describe('slotMs', () => {
  it('the default: 1 s plus 4 s per million cells, rounded up to 100 ms', () => {
    expect(slotMs(0, 3)).toBe(1000);
    expect(slotMs(10_000, 3)).toBe(1200); // 1,160 ms
    expect(slotMs(10_000_000, 3)).toBe(161_000);
  });

  it('a configured slot of 100 ms or more keeps 100 ms steps', () => {
    expect(slotMs(0, 3, { baseMs: 100, perMillionCellsMs: 0 })).toBe(100);
    expect(slotMs(0, 3, { baseMs: 101, perMillionCellsMs: 0 })).toBe(200);
    expect(slotMs(10_000, 3, { baseMs: 10, perMillionCellsMs: 2500 })).toBe(200); // 110 ms
  });

  it('a configured slot under 100 ms is rounded up to 10 ms, not to 100 ms', () => {
    expect(slotMs(10_000, 3, { baseMs: 10, perMillionCellsMs: 0 })).toBe(10);
    expect(slotMs(0, 3, { baseMs: 11, perMillionCellsMs: 0 })).toBe(20);
    expect(slotMs(10_000, 3, { baseMs: 10, perMillionCellsMs: 2000 })).toBe(90); // 90 ms
    expect(slotMs(0, 3, { baseMs: 95, perMillionCellsMs: 0 })).toBe(100);
  });
});

describe('paddedMs', () => {
  it('ends a run at the first multiple of its slot at or after the work', () => {
    expect(paddedMs(0, 10)).toBe(10);
    expect(paddedMs(231, 10)).toBe(240);
    expect(paddedMs(231, 100)).toBe(300);
    expect(paddedMs(1200, 1200)).toBe(1200);
  });
});
