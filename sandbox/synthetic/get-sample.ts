// GET /operator/datasets/{code}/sample: synthetic rows of the fields a licence grants, masked as a job sees them.
import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { datasetEntity, type PolicySet } from '../../policies/index.ts';
import { getDataset, licenses, type Row } from '../../store/index.ts';
import type { JobsContext } from '../jobs/context.ts';
import { maskedSample, sampleRows } from './masked-sample.ts';

export interface SampleView {
  dataset: string;
  licenseId: string;
  /** always true: no value in `rows` comes from the dataset */
  synthetic: true;
  fields: { name: string; type: string; nullable: boolean; keeps: string }[];
  rows: Row[];
}

/** Pseudonyms in a sample are of synthetic ids; a fixed key keeps the sample stable between calls. */
const SAMPLE_KEY = createHash('sha256').update('synthetic-sample-pseudonyms').digest();
const DAY_MS = 86_400_000;

/**
 * Throws FORBIDDEN for a non-operator, for a dataset none of the caller's live licences (or the named one) grants —
 * unknown and unlicensed look the same — and on a Cedar deny of ReadDatasetSchema.
 */
export async function getDatasetSample(ctx: JobsContext, policies: PolicySet, code: string, query: { rows: number; licenseId?: string | undefined }): Promise<SampleView> {
  const actor = ctx.actor;
  if (actor.type !== 'operator') throw new AppError('FORBIDDEN', 'only operators hold licences');
  const ids = query.licenseId ? actor.licenses.filter((id) => id === query.licenseId) : actor.licenses;
  const rows = ids.length === 0 ? [] : await ctx.database.db.select().from(licenses).where(inArray(licenses.id, ids));
  const licence = rows.sort((a, b) => a.id.localeCompare(b.id)).find((l) => l.datasets.some((d) => d.code === code));
  const grant = licence?.datasets.find((d) => d.code === code);
  const dataset = licence && grant ? await getDataset(ctx.database.db, code).catch(() => undefined) : undefined;
  if (!licence || !grant || !dataset || !policies.datasets.has(code)) throw new AppError('FORBIDDEN', 'the licence does not grant this dataset');
  const now = new Date();
  await ctx.authorize({ action: 'ReadDatasetSchema', resource: datasetEntity(dataset), context: { now, license: licence.id } });
  const sample = maskedSample(policies, dataset, grant.fields, {
    rows: query.rows,
    seed: `sample:${code}`,
    pseudonymKey: SAMPLE_KEY,
    asOf: new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10),
  });
  return {
    dataset: code,
    licenseId: licence.id,
    synthetic: true,
    fields: sample.fields.map(({ name, type, nullable, keeps }) => ({ name, type, nullable, keeps })),
    rows: sampleRows(sample),
  };
}
