// Steward verbs on the dataset registry: each checks the actor first, then asks the store.
import type { Readable } from 'node:stream';
import { AppError } from '../../errors/index.ts';
import { actorLabel, mayManageDataset, type RegistryAction } from '../../policies/index.ts';
import {
  getDataset,
  listDatasets,
  loadDataset,
  registerDataset,
  updateDataset,
  type DatasetPage,
  type DatasetRecord,
  type LoadFormat,
  type LoadResult,
} from '../../store/index.ts';
import type { VerbContext } from '../context.ts';

function deny(): AppError {
  return new AppError('FORBIDDEN', 'you may not manage this dataset');
}

async function authorize(ctx: VerbContext, action: RegistryAction, code: string): Promise<DatasetRecord> {
  if (!mayManageDataset(ctx.actor, action, undefined)) throw deny();
  const dataset = await getDataset(ctx.database.db, code);
  if (!mayManageDataset(ctx.actor, action, dataset.department)) throw deny();
  return dataset;
}

/** Throws FORBIDDEN, VALIDATION_FAILED, DATASET_EXISTS. */
export async function registerDatasetVerb(ctx: VerbContext, input: { department?: unknown } & object): Promise<DatasetRecord> {
  const department = typeof input.department === 'string' ? input.department : undefined;
  if (!mayManageDataset(ctx.actor, 'register', department)) throw deny();
  return registerDataset(ctx.database.db, input);
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND, VALIDATION_FAILED. */
export async function describeDatasetVerb(ctx: VerbContext, code: string, patch: { department?: unknown } & object): Promise<DatasetRecord> {
  await authorize(ctx, 'describe', code);
  // moving a dataset to another department is also a change to that department's registry
  if (typeof patch.department === 'string' && !mayManageDataset(ctx.actor, 'describe', patch.department)) throw deny();
  return updateDataset(ctx.database.db, code, patch);
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND. */
export async function showDatasetVerb(ctx: VerbContext, code: string): Promise<DatasetRecord> {
  return authorize(ctx, 'read', code);
}

/** Throws FORBIDDEN. */
export async function listDatasetsVerb(ctx: VerbContext, page: { limit: number; cursor?: string | undefined }): Promise<DatasetPage> {
  if (!mayManageDataset(ctx.actor, 'read', undefined)) throw deny();
  return listDatasets(ctx.database.db, page);
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND, LOAD_REJECTED (with line numbers). */
export async function loadDatasetVerb(
  ctx: VerbContext,
  input: { code: string; format: LoadFormat; body: Readable | AsyncIterable<Uint8Array>; onProgress?: (rows: number, bytes: number) => void },
): Promise<LoadResult> {
  await authorize(ctx, 'load', input.code);
  return loadDataset(ctx.database, { ...input, loadedBy: actorLabel(ctx.actor) });
}
