import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { mayManageDataset } from './dataset-access.ts';

const steward = (department: string | null): Actor => ({ type: 'staff', id: 's', username: 's', role: 'steward', department });
const security: Actor = { type: 'staff', id: 'x', username: 'x', role: 'security', department: null };

describe('mayManageDataset', () => {
  it('lets a steward manage only their own department, and an unbound steward all', () => {
    expect(mayManageDataset(steward('公安厅'), 'load', '公安厅')).toBe(true);
    expect(mayManageDataset(steward('公安厅'), 'load', '卫健委')).toBe(false);
    expect(mayManageDataset(steward(null), 'describe', '卫健委')).toBe(true);
  });
  it('lets security staff read but not change the registry', () => {
    expect(mayManageDataset(security, 'read', '公安厅')).toBe(true);
    expect(mayManageDataset(security, 'register', '公安厅')).toBe(false);
  });
  it('refuses operators and the public everything', () => {
    for (const actor of [{ type: 'operator', id: 'o', licenses: [] }, { type: 'public' }] as Actor[]) {
      for (const action of ['register', 'describe', 'load', 'read'] as const) {
        expect(mayManageDataset(actor, action, '公安厅')).toBe(false);
      }
    }
  });
});
