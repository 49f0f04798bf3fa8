import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { matchItems } from './compare-years.ts';
import { normalizeItems } from './items.ts';
import type { PresentedItem } from './present.ts';
import { fixtureItem } from './testing.ts';

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, issues: (err.details as { issues: { path: string }[] }).issues.map((i) => i.path) };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('normalizeItems', () => {
  it('orders by the given seq and renumbers 1..n', () => {
    const items = normalizeItems({ items: [fixtureItem({ name: 'c', plannedDate: '2026-01-01', seq: 30 }), fixtureItem({ name: 'a', plannedDate: '2026-01-01', seq: 2 })] });
    expect(items.map((i) => [i.seq, i.name])).toEqual([[1, 'a'], [2, 'c']]);
  });
  it('numbers in array order when no seq is given, and drops empty optionals', () => {
    const items = normalizeItems({ items: [fixtureItem({ name: 'x', plannedDate: '2026-01-01' }), fixtureItem({ name: 'y', plannedDate: '2026-01-01', note: '' })] });
    expect(items.map((i) => i.seq)).toEqual([1, 2]);
    expect(items[1]).not.toHaveProperty('note');
    expect(items[0]!.datasetCode).toBeNull();
  });
  it('refuses duplicate seq, seq on some items only, bad dates and unknown methods', () => {
    const d = '2026-01-01';
    expect(failure(() => normalizeItems({ items: [fixtureItem({ name: 'a', plannedDate: d, seq: 1 }), fixtureItem({ name: 'b', plannedDate: d, seq: 1 })] }))).toEqual({ code: 'VALIDATION_FAILED', issues: ['items.1.seq'] });
    expect(failure(() => normalizeItems({ items: [fixtureItem({ name: 'a', plannedDate: d, seq: 1 }), fixtureItem({ name: 'b', plannedDate: d })] })).code).toBe('VALIDATION_FAILED');
    expect(failure(() => normalizeItems({ items: [fixtureItem({ name: 'a', plannedDate: '2026-02-30' })] })).issues).toEqual(['items.0.plannedDate']);
    expect(failure(() => normalizeItems({ items: [{ ...fixtureItem({ name: 'a', plannedDate: d }), accessMethods: ['fax'] }] })).issues[0]).toMatch(/^items\.0\.accessMethods/);
  });
});

describe('matchItems', () => {
  const item = (seq: number, name: string, datasetCode: string | null = null) => ({ seq, name, datasetCode, status: 'planned' }) as PresentedItem;
  it('pairs by dataset code first, then by name; the rest are added or dropped', () => {
    const from = [item(1, '旧名称', 'ds1'), item(2, '人口 统计'), item(3, '已取消')];
    const to = [item(1, '新名称', 'ds1'), item(2, '人口统计'), item(3, '新增项')];
    const m = matchItems(from, to);
    expect(m.carriedOver.map((p) => [p.from.seq, p.to.seq])).toEqual([[1, 1], [2, 2]]);
    expect(m.added.map((i) => i.name)).toEqual(['新增项']);
    expect(m.dropped.map((i) => i.name)).toEqual(['已取消']);
  });
});
