// From a job's checked emission to its release: under DP (the default) or, when the job asked for none, through the
// classic disclosure checks to two stewards' review. Shared by real runs and federated rounds' local parts.
import type { DisclosureRules } from '../../policies/index.ts';
import { checkDpRelease, checkRelease, type DpModelRequest, type DpReleaseCheck, QUANTILE_BINS, type ReleaseCheck, type ReleasedCellRecord } from '../disclosure/index.ts';
import type { DpModelInput, RandomSource } from '../dp/index.ts';
import type { MapOutput } from '../execution/index.ts';
import { buildTables, type Contributors, type Emitted, fitModel, type TableSpec } from '../reduce/index.ts';
import { domainOf } from './privacy-plan.ts';
import type { ModelOutputSpec, OutputSpec } from './schemas.ts';

export interface ReleaseInput {
  readonly output: MapOutput;
  readonly emitted: Emitted;
  readonly contributors: Contributors;
  readonly specs: readonly (TableSpec & { domain?: Extract<OutputSpec, { by: unknown }>['domain'] })[];
  readonly modelSpecs: readonly ModelOutputSpec[];
  readonly dataset: string;
  /** rows one contributor may add */
  readonly maxRows: number;
  readonly rules: DisclosureRules;
}

/**
 * The DP release. Cells of every table enter the differencing ledger (shown or withheld), so that a later release
 * without DP is checked against them. Throws AppError VALIDATION_FAILED for outputs that name columns the job did
 * not emit (the worker turns it into a data-free failure).
 */
export function releaseUnderDp(input: ReleaseInput, options: { rho: number; rng?: RandomSource }): { check: DpReleaseCheck; releasedCells: ReleasedCellRecord[] } {
  const tables = buildTables(input.emitted, input.specs, { dataset: input.dataset, contributors: input.contributors, maxRowsPerContributor: input.maxRows, histogramBins: QUANTILE_BINS });
  const requests = tables.map((table, k) => ({ table, domain: domainOf(input.specs[k] as Extract<OutputSpec, { by: unknown }>) }));
  const models: DpModelRequest[] = input.modelSpecs.map((spec) => ({ name: spec.name, input: dpModelInput(spec, input) }));
  const check = checkDpRelease({ tables: requests, models }, input.rules, { rho: options.rho, ...(options.rng ? { rng: options.rng } : {}) });
  const releasedCells: ReleasedCellRecord[] = [];
  tables.forEach((table, k) => {
    const shown = new Map((check.released.tables[k]?.cells ?? []).map((c) => [JSON.stringify(c.labels), c]));
    for (const cell of table.cells) {
      const released = shown.get(JSON.stringify(cell.labels));
      if (!released || released.suppressed === 'not_selected' || !cell.sketch || cell.contributors === 0) continue;
      releasedCells.push({ dataset: input.dataset, jobId: '', output: table.name, labels: cell.labels, population: cell.contributors, sketch: cell.sketch, withheld: released.value === null });
    }
  });
  return { check, releasedCells };
}

/**
 * A release without DP: the classic checks on true counts (suppression, dominance, differencing against every earlier
 * cell, withheld ones included), always ending in review by two stewards.
 */
export function releaseWithoutDp(input: ReleaseInput, freeForm: number, earlier: readonly ReleasedCellRecord[], jobId: string, licenseId: string): { check: ReleaseCheck; releasedCells: ReleasedCellRecord[] } {
  const tables = buildTables(input.emitted, input.specs, { dataset: input.dataset, contributors: input.contributors, maxRowsPerContributor: input.maxRows });
  const models = input.modelSpecs.map((spec) => fitModel(spec, input.output.features, input.output.label, { dataset: input.dataset, contributors: input.contributors }));
  const check = checkRelease({ tables, models, freeForm: Math.max(1, freeForm) }, input.rules, { jobId, licenseId, releasedCells: earlier });
  return { check, releasedCells: [...check.releasedCells] };
}

/**
 * A declared model's rows for a DP fit: complete rows (every named feature and the label finite; a logistic label 0
 * or 1), at most `maxRows` per contributor (the first, in row order), features and label with their declared bounds.
 * Null when the job did not emit what the model names.
 */
function dpModelInput(spec: ModelOutputSpec, input: ReleaseInput): DpModelInput | null {
  const label = input.output.label;
  const names = spec.features ?? [];
  const columns = names.map((n) => input.output.features.get(n));
  if (!label || names.length === 0 || columns.some((c) => !c) || !spec.bounds) return null;
  const { contributors, maxRows } = input;
  const complete = (i: number): boolean => {
    const y = label[i]!;
    if (!Number.isFinite(y) || (spec.kind === 'logistic' && y !== 0 && y !== 1)) return false;
    for (const c of columns) if (!Number.isFinite(c![i]!)) return false;
    return true;
  };
  const rows: number[] = [];
  if (contributors.order && contributors.offsets) {
    for (let c = 0; c < contributors.count; c++) {
      let kept = 0;
      for (let k = contributors.offsets[c]!, end = contributors.offsets[c + 1]!; k < end && kept < maxRows; k++) {
        const i = contributors.order[k]!;
        if (complete(i)) {
          rows.push(i);
          kept++;
        }
      }
    }
    rows.sort((a, b) => a - b);
  } else for (let i = 0; i < label.length; i++) if (complete(i)) rows.push(i);
  return {
    kind: spec.kind,
    names,
    features: columns.map((c) => Float64Array.from(rows, (i) => c![i]!)),
    label: Float64Array.from(rows, (i) => label[i]!),
    intercept: spec.intercept ?? true,
    featureBounds: names.map((n) => spec.bounds!.features[n]!),
    ...(spec.bounds.label ? { labelBounds: spec.bounds.label } : {}),
    rowsPerContributor: contributors.kind === 'rows' ? 1 : maxRows,
  };
}
