// 状态 of a priority-list item, computed at read time from its plan date and the catalog (never stored).
import type { PriorityListItem } from '../schema.ts';

export const ITEM_STATUSES = ['planned', 'opened', 'overdue'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** What the catalog says about a linked dataset; absent when the code is unknown. */
export interface CatalogFacts {
  openType: string;
  currentVersion: number | null;
}

/** Plan dates are calendar days in China: "today" is the date in UTC+8 (no daylight saving there). */
export function todayInChina(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * opened: the linked dataset exists, is open (unconditional or conditional) and has data loaded;
 * overdue: not opened and the plan date has passed; planned: otherwise.
 */
export function itemStatus(item: Pick<PriorityListItem, 'datasetCode' | 'plannedDate'>, facts: CatalogFacts | undefined, today: string): ItemStatus {
  const open = facts !== undefined && (facts.openType === 'unconditional' || facts.openType === 'conditional') && facts.currentVersion !== null;
  if (item.datasetCode && open) return 'opened';
  return item.plannedDate < today ? 'overdue' : 'planned';
}

/** The public catalog page of an opened item; null until it is opened. Wire format: portals link to it. */
export function catalogLink(item: Pick<PriorityListItem, 'datasetCode'>, status: ItemStatus): string | null {
  return status === 'opened' && item.datasetCode ? `/open/datasets/${encodeURIComponent(item.datasetCode)}` : null;
}
