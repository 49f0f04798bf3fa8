// From a job's merged tables and models to its release: under DP (the default) or, when the job asked for none,
// through the classic disclosure checks to two stewards' review.
import type { DisclosureRules } from '../../policies/index.ts';
import { checkDpRelease, checkRelease, type DpModelRequest, type DpReleaseCheck, type ReleaseCheck, type ReleasedCellRecord } from '../disclosure/index.ts';
import type { RandomSource } from '../dp/index.ts';
import { type AggregateTable, fitModel, type FittedModel } from '../reduce/index.ts';
import type { JobReduction } from './job-reduction.ts';
import { domainOf } from './privacy-plan.ts';
import type { OutputSpec } from './schemas.ts';

export interface ReleaseInput {
  readonly reduction: JobReduction;
  readonly dataset: string;
  readonly rules: DisclosureRules;
}

/**
 * The DP release. Cells of every table enter the differencing ledger (shown or withheld), so that a later release
 * without DP is checked against them.
 */
export function releaseUnderDp(input: ReleaseInput, options: { rho: number; rng?: RandomSource }): { check: DpReleaseCheck; releasedCells: ReleasedCellRecord[] } {
  const tables = input.reduction.tables();
  const specs = input.reduction.tableSpecs();
  const requests = tables.map((table, k) => ({ table, domain: domainOf(specs[k] as Extract<OutputSpec, { by: unknown }>) }));
  const models: DpModelRequest[] = input.reduction.declaredModels().map((spec, m) => ({ name: spec.name, input: input.reduction.dpModelInput(m) }));
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
 * cell, withheld ones included), always ending in review by two stewards. Throws AppError VALIDATION_FAILED for a
 * model that cannot be fitted from what the job emitted.
 */
export function releaseWithoutDp(input: ReleaseInput, earlier: readonly ReleasedCellRecord[], jobId: string, licenseId: string): { check: ReleaseCheck; releasedCells: ReleasedCellRecord[] } {
  const tables: AggregateTable[] = input.reduction.tables();
  const models: FittedModel[] = input.reduction.declaredModels().map((spec, m) => {
    const columns = input.reduction.modelColumns(m);
    return fitModel(spec, columns?.features ?? new Map(), columns?.label ?? null, { dataset: input.dataset, contributors: columns?.contributors ?? emptyContributors() });
  });
  const check = checkRelease({ tables, models, freeForm: Math.max(1, input.reduction.freeForm) }, input.rules, { jobId, licenseId, releasedCells: earlier });
  return { check, releasedCells: [...check.releasedCells] };
}

function emptyContributors() {
  return { kind: 'rows' as const, rows: 0, count: 0, of: null, order: null, offsets: null, fingerprints: new Int32Array(0) };
}
