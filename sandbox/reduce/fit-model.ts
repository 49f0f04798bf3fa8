// A model a job declared (linear or logistic), fitted by the platform on the features and label the job emitted, with
// what the disclosure checks need beyond the fit itself: per feature, the people whose value is not its most common
// one (a 0/1 dummy whose category holds a few people, or a value non-zero for a few, describes those people), each
// term's scale (for a scale-free test of huge standard errors), and the population sketch of the people behind the
// fit (for the differencing check across releases).

import { isAppError } from '../../errors/index.ts';
import { type Contributors, distinctPerGroup } from './contributors.ts';
import { buildDesign } from './design.ts';
import { invalidEmission } from './emitted.ts';
import { linearRegression, type LinearFit } from './linear-regression.ts';
import { logisticRegression, type LogisticFit } from './logistic-regression.ts';
import { populationSketches, type PopulationSketch } from './population-sketch.ts';

/** What a job asks the platform to fit (the wire form is sandbox/jobs schemas.ts `modelSpecSchema`). */
export interface ModelSpec {
  readonly name: string;
  readonly kind: 'linear' | 'logistic';
  /** emitted features to use, in this order; default every emitted feature, in emission order */
  readonly features?: readonly string[];
  /** default true */
  readonly intercept?: boolean;
}

export interface FittedModel {
  readonly name: string;
  readonly dataset: string;
  readonly fit: LinearFit | LogisticFit;
  /**
   * per term (null for the intercept): distinct contributors with a value other than the feature's majority value —
   * for a 0/1 dummy, its smaller category. When no value holds a majority it is at least half the rows' people.
   */
  readonly offMode: readonly (number | null)[];
  /** per term: the standard deviation of its values over the rows used (1 for the intercept) */
  readonly scales: readonly number[];
  /** the population of the fit (contributors of the rows used); null when sketches were not asked for */
  readonly sketch: PopulationSketch | null;
}

export interface FitModelOptions {
  readonly dataset: string;
  readonly contributors: Contributors;
  /** build the population sketch (default true) */
  readonly sketches?: boolean;
}

/**
 * Fits `spec` on the emitted `features` and `label` (all of the same length, one entry per emitted row). Throws AppError
 * VALIDATION_FAILED naming the model (never a value) for a missing label or feature, a non-0/1 logistic label, too few
 * complete rows, or collinear terms.
 */
export function fitModel(spec: ModelSpec, features: ReadonlyMap<string, Float64Array>, label: Float64Array | null, options: FitModelOptions): FittedModel {
  if (!label) throw invalidEmission('a model output needs the job to emit a label', { output: spec.name });
  const names = spec.features ? [...spec.features] : [...features.keys()];
  if (names.length === 0) throw invalidEmission('a model output needs at least one emitted feature', { output: spec.name });
  const missing = names.filter((n) => !features.has(n));
  if (missing.length > 0) throw invalidEmission('a model output names features the job did not emit', { output: spec.name, features: missing });
  if (new Set(names).size !== names.length) throw invalidEmission('a model output names a feature twice', { output: spec.name });
  const columns = names.map((n) => features.get(n)!);
  const regression = { names, intercept: spec.intercept ?? true, contributors: options.contributors };
  let fit: LinearFit | LogisticFit;
  try {
    fit = spec.kind === 'logistic' ? logisticRegression(columns, label, regression) : linearRegression(columns, label, regression);
  } catch (err) {
    // the reducer's messages are fixed text; say which output they are about
    if (isAppError(err) && err.code === 'VALIDATION_FAILED') throw invalidEmission(`model ${spec.name}: ${err.message}`, { output: spec.name, ...(err.details ?? {}) });
    throw err;
  }
  const design = buildDesign(columns, label, regression);
  const { used } = design;
  const offMode: (number | null)[] = design.intercept ? [null] : [];
  const scales: number[] = design.intercept ? [1] : [];
  const classOf = new Int32Array(label.length);
  for (const column of columns) {
    // Boyer–Moore majority vote: a value held by more than half the rows is found in one pass without memory; when
    // none is, every candidate leaves at least half the rows off it, which is what the check needs to know.
    let candidate = NaN;
    let votes = 0;
    let mean = 0;
    let m2 = 0;
    for (let k = 0; k < used.length; k++) {
      const v = column[used[k]!]!;
      if (votes === 0) candidate = v;
      votes += v === candidate ? 1 : -1;
      const d = v - mean;
      mean += d / (k + 1);
      m2 += d * (v - mean);
    }
    scales.push(used.length > 1 ? Math.sqrt(m2 / (used.length - 1)) : 0);
    classOf.fill(-1);
    for (const i of used) classOf[i] = column[i] === candidate ? -1 : 0;
    offMode.push(distinctPerGroup(classOf, 1, options.contributors)[0]!);
  }
  let sketch: PopulationSketch | null = null;
  if (options.sketches !== false) {
    const groupOf = new Int32Array(label.length).fill(-1);
    for (const i of used) groupOf[i] = 0;
    sketch = populationSketches({ rows: label.length, groupOf, groupCount: 1, labels: [[]], excludedRows: label.length - used.length, contributors: options.contributors, rowsPerContributor: null })[0]!;
  }
  return { name: spec.name, dataset: options.dataset, fit, offMode, scales, sketch };
}
