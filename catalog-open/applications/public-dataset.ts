// The dataset a public request names, as the public catalog shows it: a not_open dataset is never listed there,
// so here too it answers exactly like an unknown code.
import { AppError } from '../../errors/index.ts';
import { getDataset, type DatasetRecord, type Db } from '../../store/index.ts';

/** Throws DATASET_NOT_FOUND for an unknown code and a not_open dataset alike. */
export async function publicDataset(db: Db, code: string): Promise<DatasetRecord> {
  const dataset = await getDataset(db, code);
  if (dataset.openType === 'not_open') throw new AppError('DATASET_NOT_FOUND', 'no dataset with this code');
  return dataset;
}
