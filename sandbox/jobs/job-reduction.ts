// The trusted reduction of a real run, chunk by chunk: each main shard of the confined run (whole contributors, in
// row-id order) is reduced on its own — its contributors counted by the platform, the contribution cap applied — and
// its tables merged into the job's (sandbox/reduce merge-tables.ts) before anything is noised or checked. A
// contributor's rows are all in one chunk, so a cap of k rows per contributor holds across chunks. Models keep their
// complete rows (only the model's columns), as their fits need them all.
import { isAppError } from '../../errors/index.ts';
import type { DpModelInput } from '../dp/index.ts';
import type { MainChunk } from '../confinement/index.ts';
import { type AggregateTable, buildTables, type Contributors, contributorsFromCodes, contributorsFromKeys, contributorsFromRows, TableMerger } from '../reduce/index.ts';
import { QUANTILE_BINS } from '../disclosure/index.ts';
import { splitOutputs, toEmitted } from './emission.ts';
import type { ModelOutputSpec, OutputSpec } from './schemas.ts';

type TableOutput = ReturnType<typeof splitOutputs>['specs'][number];

export interface ReductionOptions {
  readonly outputs: readonly OutputSpec[];
  readonly dataset: string;
  /** rows one contributor may add */
  readonly maxRows: number;
  /** under DP: leaf histograms for quantiles; without: exact quantiles (values kept) and population sketches */
  readonly dp: boolean;
  /** whether chunks carry contributor ids (person-level datasets) or each row is its own contributor */
  readonly personLevel: boolean;
}

/** Model rows gathered across chunks: a DP model's complete, capped rows, or every emitted row for a classic fit. */
interface ModelRows {
  features: Float64Array[][];
  label: Float64Array[];
  /** classic fits: the emitted features' names, and per row its global contributor code (person-level) or row id */
  names: string[] | null;
  of: Int32Array[];
  ids: Float64Array[];
}

export class JobReduction {
  private specs: TableOutput[] | null = null;
  private modelSpecs: ModelOutputSpec[] = [];
  private readonly merger = new TableMerger();
  private models: ModelRows[] = [];
  private fingerprints: Int32Array[] = [];
  private contributorCount = 0;
  private rows = 0;
  /** features and a label no declared model consumes (a release without DP sends them to review) */
  freeForm = 0;
  /** the first reduction error (an output naming a column the model did not emit): fixed text, never a value */
  error: Error | null = null;

  constructor(private readonly options: ReductionOptions) {}

  add(chunk: MainChunk): void {
    if (this.error) return;
    try {
      this.reduce(chunk);
    } catch (err) {
      if (!isAppError(err)) throw err;
      this.error = err;
    }
  }

  private reduce(chunk: MainChunk): void {
    const { output } = chunk;
    const { emitted, freeForm } = toEmitted(output);
    if (!this.specs) {
      const split = splitOutputs(this.options.outputs as never, emitted);
      this.specs = split.specs;
      this.modelSpecs = split.modelSpecs;
      this.freeForm = freeForm;
      this.models = this.modelSpecs.map(() => ({ features: [], label: [], names: null, of: [], ids: [] }));
    }
    const emittedRows = output.rows ?? Int32Array.from({ length: output.length }, (_, k) => k);
    const contributors = this.contributorsOf(chunk, emittedRows);
    const { dataset, maxRows, dp } = this.options;
    const tables = buildTables(emitted, this.specs, { dataset, contributors, maxRowsPerContributor: maxRows, ...(dp ? { histogramBins: QUANTILE_BINS } : { keepQuantileValues: true }) });
    this.merger.add(tables);
    this.modelSpecs.forEach((spec, m) => (dp ? this.keepDpRows(spec, this.models[m]!, output, contributors) : this.keepRows(this.models[m]!, output, contributors, chunk, emittedRows)));
    if (!dp && this.modelSpecs.length > 0 && contributors.kind === 'ids') {
      this.fingerprints.push(contributors.fingerprints);
      this.contributorCount += contributors.count;
    }
    this.rows += output.length;
  }

  /** The platform's contributors of the chunk's emitted rows: its own ids, never anything the job emitted. */
  private contributorsOf(chunk: MainChunk, emittedRows: Int32Array): Contributors {
    if (!this.options.personLevel || !chunk.units || !chunk.extra) {
      return contributorsFromRows(emittedRows.length, Float64Array.from(emittedRows, (r) => chunk.rowIds[r]!));
    }
    const words = new Int32Array(4 * emittedRows.length);
    const fps = new Int32Array(2 * emittedRows.length);
    emittedRows.forEach((r, k) => {
      words.set(chunk.units!.subarray(4 * r, 4 * r + 4), 4 * k);
      fps.set(chunk.extra!.subarray(2 * r, 2 * r + 2), 2 * k);
    });
    return contributorsFromKeys(words, fps, null, emittedRows.length);
  }

  /** A DP model's rows of this chunk: complete ones, at most maxRows per contributor (the first, in row order). */
  private keepDpRows(spec: ModelOutputSpec, into: ModelRows, output: MainChunk['output'], contributors: Contributors): void {
    const label = output.label;
    const names = spec.features ?? [];
    const columns = names.map((n) => output.features.get(n));
    if (!label || names.length === 0 || columns.some((c) => !c) || !spec.bounds) return;
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
        for (let k = contributors.offsets[c]!, end = contributors.offsets[c + 1]!; k < end && kept < this.options.maxRows; k++) {
          const i = contributors.order[k]!;
          if (complete(i)) {
            rows.push(i);
            kept++;
          }
        }
      }
      rows.sort((a, b) => a - b);
    } else for (let i = 0; i < label.length; i++) if (complete(i)) rows.push(i);
    into.features.push(columns.map((c) => Float64Array.from(rows, (i) => c![i]!)));
    into.label.push(Float64Array.from(rows, (i) => label[i]!));
  }

  /** A classic fit's rows of this chunk: every emitted row (the fit picks complete ones), contributors renumbered globally. */
  private keepRows(into: ModelRows, output: MainChunk['output'], contributors: Contributors, chunk: MainChunk, emittedRows: Int32Array): void {
    if (!output.label) return;
    into.names ??= [...output.features.keys()];
    into.features.push(into.names.map((n) => output.features.get(n)!));
    into.label.push(output.label);
    const offset = this.contributorCount;
    if (contributors.of) into.of.push(Int32Array.from(contributors.of, (c) => (c < 0 ? -1 : c + offset)));
    else into.ids.push(Float64Array.from(emittedRows, (r) => chunk.rowIds[r]!));
  }

  /** The merged tables (empty before any chunk). */
  tables(): AggregateTable[] {
    return this.merger.result() ?? [];
  }

  tableSpecs(): TableOutput[] {
    return this.specs ?? [];
  }

  declaredModels(): ModelOutputSpec[] {
    return this.modelSpecs;
  }

  /** A declared DP model's input, or null when the job did not emit what it names. */
  dpModelInput(m: number): DpModelInput | null {
    const spec = this.modelSpecs[m]!;
    const rows = this.models[m]!;
    if (rows.label.length === 0 || !spec.bounds) return null;
    const names = spec.features ?? [];
    return {
      kind: spec.kind,
      names,
      features: names.map((_, j) => concat(rows.features.map((f) => f[j]!))),
      label: concat(rows.label),
      intercept: spec.intercept ?? true,
      featureBounds: names.map((n) => spec.bounds!.features[n]!),
      ...(spec.bounds.label ? { labelBounds: spec.bounds.label } : {}),
      rowsPerContributor: this.options.personLevel ? this.options.maxRows : 1,
    };
  }

  /** A classic fit's emitted features, label and contributors over every chunk; null without a label. */
  modelColumns(m: number): { features: Map<string, Float64Array>; label: Float64Array; contributors: Contributors } | null {
    const rows = this.models[m]!;
    if (rows.label.length === 0 || !rows.names) return null;
    const features = new Map(rows.names.map((n, j) => [n, concat(rows.features.map((f) => f[j]!))] as const));
    const label = concat(rows.label);
    const contributors = rows.of.length > 0 ? contributorsFromCodes(concatInt(rows.of), this.contributorCount, concatInt(this.fingerprints)) : contributorsFromRows(label.length, concat(rows.ids));
    return { features, label, contributors };
  }
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function concatInt(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
