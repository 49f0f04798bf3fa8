// A dry run: the operator's model on masked SYNTHETIC rows of the requested fields (sandbox/synthetic, the same data
// as GET /operator/datasets/{code}/sample), reduced by the platform but NOT disclosure-checked. Nothing real is read,
// so nothing is released: no budget is charged, no cell enters the differencing ledger, and the record says so.
import { createHash } from 'node:crypto';
import { isAppError } from '../../errors/index.ts';
import { derivePseudonymKey } from '../../policies/index.ts';
import { getDataset, type licenses } from '../../store/index.ts';
import { buildTables, contributorsFromRows, fitModel, logisticRegression, linearRegression, type AggregateTable, type Emitted, type TableSpec } from '../reduce/index.ts';
import type { MapOutput } from '../execution/index.ts';
import { runConfined } from '../confinement/index.ts';
import { DRY_RUN_ROWS, maskedSample } from '../synthetic/index.ts';
import type { JobRow } from './claim-job.ts';
import type { JobOutcome } from './complete-job.ts';
import { defaultOutputs, toEmitted } from './emission.ts';
import { toColumn } from './to-column.ts';
import type { RunJobOptions } from './run-job.ts';
import { isModelSpec, type ModelOutputSpec, type OutputSpec } from './schemas.ts';

const failed = (errorCode: string, reason: string, usage: Record<string, unknown> | null = null): JobOutcome => ({ status: 'failed', errorCode, reason, usage });
/** Dry-run reasons say they come from synthetic data; they may carry more detail than a real run's (see docs/jobs.md). */
const DRY = ' [dry run on synthetic data]';

export async function evaluateDryRun(
  job: JobRow,
  licence: typeof licenses.$inferSelect,
  grant: { code: string; fields: string[] },
  asOfMs: number,
  options: RunJobOptions,
): Promise<JobOutcome> {
  const dataset = await getDataset(options.database.db, grant.code).catch(() => undefined);
  if (!dataset) return failed('DATASET_NOT_FOUND', `the dataset is not registered${DRY}`);
  const missing = grant.fields.filter((f) => !dataset.fields.some((d) => d.name === f));
  if (missing.length > 0) return failed('FIELD_NOT_FOUND', `fields not in the dataset: ${missing.join(', ')}${DRY}`);
  let sample;
  try {
    sample = maskedSample(options.policies, dataset, grant.fields, {
      rows: DRY_RUN_ROWS,
      seed: `dry-run:${grant.code}`,
      // the licence's own key, as in a real run: pseudonyms of synthetic ids, linkable within the licence only
      pseudonymKey: derivePseudonymKey(options.pseudonymSecret, licence.id),
      asOf: new Date(asOfMs).toISOString().slice(0, 10),
    });
  } catch (err) {
    if (isAppError(err)) return failed(err.code, `${err.message}${DRY}`);
    throw err;
  }
  const columns = Object.fromEntries(sample.fields.map((f) => [f.name, toColumn(sample.columns[f.name]!, f.type)]));
  // the same confinement as a real run: a model that is not row-local is told so here, where it costs nothing
  const started = performance.now();
  const confined = await runConfined(options.pool, { code: job.code, columns, params: job.params, asOf: asOfMs, seed: 1, contributors: null }, options.confinement ?? {});
  if (!confined.ok && confined.kind === 'failed') return failed(confined.code, `${confined.reason}${DRY}`, { dryRun: true });
  if (!confined.ok) {
    return failed('NOT_ROW_LOCAL', `what the model emits for a row depends on other rows: the ${confined.part} differ between runs over different random subsets of the rows, in different orders (a row index, the number of rows, a dictionary's contents, Math.random inside map, or another row's values)${DRY}`, { dryRun: true });
  }
  const run = { output: confined.output };
  const usage = { wallMs: Math.round(performance.now() - started), runs: confined.runs, rows: sample.rowCount, dryRun: true };
  const { emitted } = toEmitted(run.output);
  const declared = job.outputs as OutputSpec[];
  const specs = declared.length > 0 ? (declared.filter((o) => !isModelSpec(o)) as TableSpec[]) : defaultOutputs(emitted);
  const modelSpecs = declared.filter(isModelSpec);
  let tables: AggregateTable[];
  let declaredModels: unknown[] = [];
  try {
    tables = buildTables(emitted, specs, { dataset: grant.code, contributors: contributorsFromRows(emitted.rows), sketches: false });
    declaredModels = fitDeclared(modelSpecs, run.output, grant.code);
  } catch (err) {
    // the reducer's message names the output spec and column at fault, never a value: shown in full for a dry run
    if (isAppError(err)) return failed('INVALID_OUTPUTS', `${err.message}${err.details ? ` ${JSON.stringify(err.details)}` : ''}${DRY}`, usage);
    throw err;
  }
  const models = modelSpecs.length > 0 ? declaredModels : fitModels(run.output);
  const result = { dryRun: true, checked: false, syntheticRows: sample.rowCount, tables: tables.map(uncheckedTable), models };
  const record = {
    dryRun: true,
    checked: false,
    jobId: job.id,
    operator: job.operatorId,
    codeSha256: createHash('sha256').update(job.code).digest('hex'),
    data: { [grant.code]: `synthetic:${DRY_RUN_ROWS}` },
    note: 'synthetic data, unchecked output: not a release',
    createdAt: new Date().toISOString(),
  };
  return { status: 'succeeded', result, record, releasedCells: [], usage };
}

/** The release's table shape (so tools render both alike), with every value shown and no suppression mark. */
function uncheckedTable(t: AggregateTable) {
  const value = (c: AggregateTable['cells'][number]) => ({ labels: c.labels, value: Number.isNaN(c.value) ? null : c.value, suppressed: null, contributors: c.contributors });
  return {
    name: t.name,
    kind: t.kind,
    dims: t.dims,
    measure: t.measure,
    prob: t.prob,
    layout: t.layout,
    cells: t.cells.map(value),
    rowLabels: t.rowLabels,
    columnLabels: t.columnLabels,
    totals: t.totals ? { all: value(t.totals.all), rows: t.totals.rows?.map(value) ?? null, columns: t.totals.columns?.map(value) ?? null } : null,
    omitted: 0,
    noise: null,
    roundedTo: null,
  };
}

/** The models the job declared, fitted as a real run fits them (unchecked). Throws AppError for bad emissions. */
function fitDeclared(specs: readonly ModelOutputSpec[], output: MapOutput, dataset: string): unknown[] {
  const contributors = contributorsFromRows(output.length);
  return specs.map((spec) => {
    const { fit } = fitModel(spec, output.features, output.label, { dataset, contributors, sketches: false });
    return { name: spec.name, ...fit };
  });
}

/** Without a declared model, features and a label get a fit (logistic for a 0/1 label, else linear), unchecked, or why it failed. */
function fitModels(output: MapOutput): unknown[] {
  if (output.features.size === 0 || !output.label) return [];
  const names = [...output.features.keys()];
  const features = names.map((n) => Float64Array.from(output.features.get(n)!));
  const y = Float64Array.from(output.label);
  const binary = y.every((v) => Number.isNaN(v) || v === 0 || v === 1);
  try {
    const fit = binary ? logisticRegression(features, y, { names }) : linearRegression(features, y, { names });
    return [{ name: 'model', ...fit }];
  } catch (err) {
    if (isAppError(err)) return [{ name: 'model', model: binary ? 'logistic' : 'linear', error: err.message }];
    throw err;
  }
}
