import { describe, expect, it } from 'vitest';
import { catalogLink, itemStatus, todayInChina } from './status.ts';

const loadedOpen = { openType: 'unconditional', currentVersion: 1 };

describe('itemStatus', () => {
  const today = '2026-06-15';
  it('is opened when the linked dataset is open (unconditional or conditional) and loaded, whatever the date', () => {
    expect(itemStatus({ datasetCode: 'a', plannedDate: '2026-01-01' }, loadedOpen, today)).toBe('opened');
    expect(itemStatus({ datasetCode: 'a', plannedDate: '2026-12-31' }, { openType: 'conditional', currentVersion: 3 }, today)).toBe('opened');
  });
  it('is not opened for a not_open dataset, an unloaded one, an unknown one, or no link', () => {
    for (const facts of [{ openType: 'not_open', currentVersion: 1 }, { openType: 'unconditional', currentVersion: null }, undefined]) {
      expect(itemStatus({ datasetCode: 'a', plannedDate: '2026-12-31' }, facts, today)).toBe('planned');
      expect(itemStatus({ datasetCode: 'a', plannedDate: '2026-06-14' }, facts, today)).toBe('overdue');
    }
    expect(itemStatus({ datasetCode: null, plannedDate: '2026-06-14' }, loadedOpen, today)).toBe('overdue');
  });
  it('is planned on the plan date itself and overdue from the day after', () => {
    expect(itemStatus({ plannedDate: '2026-06-15' }, undefined, today)).toBe('planned');
    expect(itemStatus({ plannedDate: '2026-06-15' }, undefined, '2026-06-16')).toBe('overdue');
  });
});

describe('todayInChina', () => {
  it('takes the calendar day in UTC+8', () => {
    expect(todayInChina(new Date('2026-06-15T15:59:59Z'))).toBe('2026-06-15');
    expect(todayInChina(new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-16');
  });
});

describe('catalogLink', () => {
  it('links only opened items, with the code escaped', () => {
    expect(catalogLink({ datasetCode: 'open_a' }, 'opened')).toBe('/open/datasets/open_a');
    expect(catalogLink({ datasetCode: 'open_a' }, 'planned')).toBeNull();
    expect(catalogLink({ datasetCode: 'a/b' }, 'opened')).toBe('/open/datasets/a%2Fb');
  });
});
