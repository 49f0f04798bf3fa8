// Before a real row reaches the model (the real read overlaps this run, behind preflight-gate.ts): the model on
// synthetic rows of the licensed fields, masked as a job sees them, under the same confinement. Anything that goes
// wrong here went wrong without data, so the operator is told exactly what (the error class and line, the bad output,
// a non-local emission) and the job costs nothing. A model that passes here and fails only on real data learns one
// fixed code (real-run.ts).
import { isAppError } from '../../errors/index.ts';
import { derivePseudonymKey } from '../../policies/index.ts';
import { getDataset, type licenses } from '../../store/index.ts';
import { runConfined } from '../confinement/index.ts';
import { buildTables, contributorsFromRows } from '../reduce/index.ts';
import { maskedSample } from '../synthetic/index.ts';
import type { JobRow } from './claim-job.ts';
import { splitOutputs, toEmitted } from './emission.ts';
import { toColumn } from './to-column.ts';
import type { RunJobOptions } from './run-job.ts';

/** Synthetic rows of a preflight: enough for every shard of its check to hold some. */
export const PREFLIGHT_ROWS = 200;
const ON_SYNTHETIC = ' [before any data was read, on synthetic rows]';

export type PreflightResult = { ok: true } | { ok: false; code: string; reason: string };

export async function preflight(job: JobRow, licence: typeof licenses.$inferSelect, grant: { code: string; fields: string[] }, asOfMs: number, options: RunJobOptions): Promise<PreflightResult> {
  const dataset = await getDataset(options.database.db, grant.code).catch(() => undefined);
  if (!dataset) return { ok: false, code: 'DATASET_NOT_FOUND', reason: `the dataset is not registered${ON_SYNTHETIC}` };
  let sample;
  try {
    sample = maskedSample(options.policies, dataset, grant.fields, {
      rows: PREFLIGHT_ROWS,
      seed: `preflight:${grant.code}`,
      pseudonymKey: derivePseudonymKey(options.pseudonymSecret, licence.id),
      asOf: new Date(asOfMs).toISOString().slice(0, 10),
    });
  } catch (err) {
    if (isAppError(err)) return { ok: false, code: err.code, reason: `${err.message}${ON_SYNTHETIC}` };
    throw err;
  }
  const columns = Object.fromEntries(sample.fields.map((f) => [f.name, toColumn(sample.columns[f.name]!, f.type)]));
  const confined = await runConfined(options.pool, { code: job.code, columns, params: job.params, asOf: asOfMs, seed: 1, contributors: null }, { checkPartitions: 1, checkShards: 4, ...(options.confinement?.random ? { random: options.confinement.random } : {}) });
  if (!confined.ok && confined.kind === 'failed') return { ok: false, code: confined.code, reason: `${confined.reason}${ON_SYNTHETIC}` };
  if (!confined.ok) return { ok: false, code: 'NOT_ROW_LOCAL', reason: `what the model emits for a row depends on other rows (the ${confined.part} differ between runs over different rows)${ON_SYNTHETIC}` };
  const { emitted } = toEmitted(confined.output);
  const { specs, modelSpecs } = splitOutputs(job.outputs as never, emitted);
  try {
    buildTables(emitted, specs, { dataset: grant.code, contributors: contributorsFromRows(emitted.rows), sketches: false });
  } catch (err) {
    if (isAppError(err)) return { ok: false, code: 'INVALID_OUTPUTS', reason: `${err.message}${err.details ? ` ${JSON.stringify(err.details)}` : ''}${ON_SYNTHETIC}` };
    throw err;
  }
  for (const spec of modelSpecs) {
    const missing = (spec.features ?? []).filter((f) => !confined.output.features.has(f));
    if (!confined.output.label || missing.length) return { ok: false, code: 'INVALID_OUTPUTS', reason: `model ${spec.name}: the job must emit a label and the features ${missing.join(', ') || '(all named)'}${ON_SYNTHETIC}` };
  }
  return { ok: true };
}
