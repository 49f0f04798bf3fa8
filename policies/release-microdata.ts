// releaseMicrodata: the check before any row-level open download. Masks the rows for open download, then, for
// person-level datasets, generalizes the declared quasi-identifiers until k reaches the grade's minimum cell count,
// or refuses the release.

import { AppError } from '../errors/index.ts';
import type { DatasetDefinition, Row } from '../store/index.ts';
import { fieldDisclosureRules } from './disclosure.ts';
import { buildHierarchy } from './hierarchies.ts';
import { kAnonymity, type QuasiIdentifier } from './k-anonymity.ts';
import { maskerFor, type MaskedField, type MaskerOptions } from './masker.ts';
import { datasetPolicy, type PolicySet } from './policy-set.ts';

export interface MicrodataRelease {
  /** the masked, generalized rows without the suppressed ones */
  readonly rows: Row[];
  /** schema of the rows; a generalized quasi-identifier becomes text (labels of its hierarchy) */
  readonly fields: readonly MaskedField[];
  /** the k required (the grade's minimum cell count) and achieved; null when the dataset is not person-level */
  readonly requiredK: number | null;
  readonly k: number | null;
  readonly suppressionRate: number;
  /** generalization level per released quasi-identifier */
  readonly levels: Readonly<Record<string, string>>;
}

/**
 * Prepares a row-level open download of `rows` (raw rows of `definition`'s dataset).
 * Throws AppError RELEASE_REFUSED when every field is dropped for open download, or when k-anonymity cannot be
 * reached within the policy's suppression limit (details: required k, best k and suppression rate seen; no values);
 * the errors of maskerFor otherwise.
 */
export function releaseMicrodata(set: PolicySet, definition: DatasetDefinition, rows: readonly Row[], options: MaskerOptions = {}): MicrodataRelease {
  const policy = datasetPolicy(set, definition.code);
  const masker = maskerFor(set, definition, 'open_download', options);
  if (masker.fields.length === 0) {
    throw new AppError('RELEASE_REFUSED', 'nothing to release: every field is withheld from open download', { details: { dataset: definition.code } });
  }
  const masked = rows.map((r) => masker.maskRow(r));
  if (!policy.personLevel) return { rows: masked, fields: masker.fields, requiredK: null, k: null, suppressionRate: 0, levels: {} };

  const released = new Set(masker.fields.map((f) => f.name));
  const qis: QuasiIdentifier[] = policy.quasiIdentifiers
    .filter((q) => released.has(q.field))
    .map((q) => {
      const hierarchy = buildHierarchy(q.hierarchy);
      const max = q.maxLevel === undefined ? undefined : hierarchy.levels.indexOf(q.maxLevel);
      return max === undefined ? { field: q.field, hierarchy } : { field: q.field, hierarchy, maxLevel: max };
    });
  const requiredK = fieldDisclosureRules(set, definition.code, [...released]).minCellCount;
  const result = kAnonymity(masked, qis, { k: requiredK, maxSuppressionRate: policy.maxSuppressionRate });
  if (!result.ok) {
    throw new AppError('RELEASE_REFUSED', 'the release does not reach the required k-anonymity within the suppression limit', {
      details: {
        dataset: definition.code,
        reason: result.reason,
        requiredK,
        bestK: result.best?.k ?? null,
        bestSuppressionRate: result.best?.suppressionRate ?? null,
      },
    });
  }
  // A generalized quasi-identifier holds labels of its hierarchy (`1990-1999`, `[0,1000)`, `*`): text.
  const generalized = new Set(qis.filter((q) => result.levels[q.field] !== q.hierarchy.levels[0]).map((q) => q.field));
  const fields = masker.fields.map((f) => (generalized.has(f.name) ? { ...f, type: 'string' as const } : f));
  return { rows: result.rows, fields, requiredK, k: result.k, suppressionRate: result.suppressionRate, levels: result.levels };
}
