// Steward verbs on the dataset registry: each asks the policies first, then the store.
import type { Readable } from 'node:stream';
import { actorLabel, datasetEntity } from '../../policies/index.ts';
import {
  datasetDefinitionSchema,
  getDataset,
  listDatasets,
  loadDatasetOffLoop,
  registerDataset,
  updateDataset,
  type DatasetPage,
  type DatasetRecord,
  type LoadFormat,
  type LoadResult,
} from '../../store/index.ts';
import type { VerbContext } from '../context.ts';

const asResource = (d: Pick<DatasetRecord, 'code' | 'department' | 'openType' | 'grade'>) =>
  datasetEntity({ code: d.code, department: d.department, openType: d.openType, grade: d.grade });

async function authorized(ctx: VerbContext, action: 'ManageDataset' | 'ReadDatasetSchema', code: string): Promise<DatasetRecord> {
  const dataset = await getDataset(ctx.database.db, code);
  await ctx.authorize({ action, resource: asResource(dataset) });
  return dataset;
}

/** Throws FORBIDDEN, VALIDATION_FAILED, DATASET_EXISTS. */
export async function registerDatasetVerb(ctx: VerbContext, input: unknown): Promise<DatasetRecord> {
  // the decision needs the department the dataset is registered for, so the input is checked first
  const parsed = datasetDefinitionSchema.safeParse(input);
  if (parsed.success) await ctx.authorize({ action: 'ManageDataset', resource: asResource(parsed.data) });
  return registerDataset(ctx.database.db, input);
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND, VALIDATION_FAILED. */
export async function describeDatasetVerb(ctx: VerbContext, code: string, patch: { department?: unknown } & object): Promise<DatasetRecord> {
  const dataset = await authorized(ctx, 'ManageDataset', code);
  // moving a dataset to another department is also a change to that department's registry
  if (typeof patch.department === 'string' && patch.department !== dataset.department) {
    await ctx.authorize({ action: 'ManageDataset', resource: asResource({ ...dataset, department: patch.department }) });
  }
  return updateDataset(ctx.database.db, code, patch);
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND. */
export async function showDatasetVerb(ctx: VerbContext, code: string): Promise<DatasetRecord> {
  return authorized(ctx, 'ReadDatasetSchema', code);
}

/** The datasets of a page the actor may read; one audit entry for the page. */
export async function listDatasetsVerb(ctx: VerbContext, page: { limit: number; cursor?: string | undefined }): Promise<DatasetPage> {
  const result = await listDatasets(ctx.database.db, page);
  const questions = result.items.map((d) => ({ action: 'ReadDatasetSchema' as const, resource: asResource(d) }));
  const allowed = await ctx.authorizeEach(questions, 'datasets');
  return { items: result.items.filter((_, i) => allowed[i]), nextCursor: result.nextCursor };
}

/** Throws FORBIDDEN, DATASET_NOT_FOUND, LOAD_REJECTED (with line numbers). */
export async function loadDatasetVerb(
  ctx: VerbContext,
  input: { code: string; format: LoadFormat; body: Readable | AsyncIterable<Uint8Array>; onProgress?: (rows: number, bytes: number) => void },
): Promise<LoadResult> {
  await authorized(ctx, 'ManageDataset', input.code);
  return loadDatasetOffLoop(ctx.database, { ...input, loadedBy: actorLabel(ctx.actor) });
}
