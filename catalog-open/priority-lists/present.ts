// Items as readers see them: the stored item plus 提供部门, the computed 状态 and the catalog link.
import type { PriorityListItem } from '../schema.ts';
import { catalogLink, itemStatus, type CatalogFacts, type ItemStatus } from './status.ts';

/** Wire format of one item in every read (steward and public). */
export interface PresentedItem extends PriorityListItem {
  department: string;
  departmentCode: string;
  status: ItemStatus;
  link: string | null;
}

export function presentItems(
  list: { department: string; departmentCode: string; items: readonly PriorityListItem[] },
  facts: ReadonlyMap<string, CatalogFacts>,
  today: string,
): PresentedItem[] {
  return list.items.map((item) => {
    const status = itemStatus(item, item.datasetCode ? facts.get(item.datasetCode) : undefined, today);
    return {
      ...item,
      datasetCode: item.datasetCode ?? null,
      department: list.department,
      departmentCode: list.departmentCode,
      status,
      link: catalogLink(item, status),
    };
  });
}
