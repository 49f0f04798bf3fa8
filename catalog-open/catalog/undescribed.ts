// Which registered datasets have no catalog entry yet: what demo seeding (and a steward's to-do list) starts from.
import type { Database } from '../../store/index.ts';

export interface UndescribedDataset {
  code: string;
  name: string;
  department: string;
  departmentCode: string;
  openType: string;
}

/** Every registered dataset (any open attribute) without a catalog entry, by code. */
export async function undescribedDatasets(database: Database): Promise<UndescribedDataset[]> {
  return database.sql.query<UndescribedDataset>(
    `select d.code, d.name, d.department, d.department_code as "departmentCode", d.open_type as "openType"
       from datasets d left join catalog_entries ce on ce.dataset_code = d.code
      where ce.dataset_code is null order by d.code`,
  );
}
