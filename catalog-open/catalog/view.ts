// From a catalog row to what the public sees: the search summary and the full entry.
import { maskerFor, type PolicySet } from '../../policies/index.ts';
import type { CatalogRow } from './catalog-row.ts';
import { qualityScore } from './quality.ts';
import {
  DOWNLOAD_FORMATS,
  MEDIA_TYPES,
  type CatalogEntryView,
  type CatalogField,
  type CatalogSummary,
  type CatalogVersion,
} from './types.ts';

export function toSummary(row: CatalogRow, now: Date): CatalogSummary {
  return {
    code: row.code,
    resourceCode: row.resourceCode,
    name: row.name,
    summary: row.summary,
    department: row.department,
    departmentCode: row.departmentCode,
    theme: row.theme,
    keywords: row.keywords,
    openType: row.openType,
    grade: row.grade,
    updateCycle: row.updateCycle,
    formats: row.hasFormats ? [...DOWNLOAD_FORMATS] : [],
    modified: row.modified.toISOString(),
    issued: row.issued.toISOString(),
    qualityScore: qualityScore(row, now).score,
    described: row.described,
  };
}

/** The fields an open download releases, per the dataset's open_download policy; none when there is no policy. */
export function releasedFields(policies: PolicySet, row: CatalogRow): CatalogField[] | null {
  try {
    const masker = maskerFor(
      policies,
      { code: row.code, name: row.name, description: row.description, department: row.department, departmentCode: row.departmentCode, sourceSystem: '', updateCycle: row.updateCycle, grade: row.grade, openType: row.openType, fields: row.fields },
      'open_download',
    );
    const registered = new Map(row.fields.map((f) => [f.name, f]));
    return masker.fields.map((f) => ({
      name: f.name,
      type: f.type,
      // the registry's description; how the value is masked is shown by `masked`, not folded into the text
      description: registered.get(f.name)?.description ?? f.description,
      masked: f.rule.mask !== 'raw',
    }));
  } catch {
    // no policy, or one that does not fit the registry: downloads refuse the dataset (fail closed), so nothing is released
    return null;
  }
}

export interface EntryExtras {
  versions: CatalogVersion[];
  downloads: number;
  feedback: { open: number; resolved: number };
}

export function toEntryView(row: CatalogRow, policies: PolicySet, extras: EntryExtras, now: Date): CatalogEntryView {
  const fields = releasedFields(policies, row);
  const downloadable = row.hasFormats && fields !== null && fields.length > 0;
  const current = row.current;
  return {
    ...toSummary(row, now),
    formats: downloadable ? [...DOWNLOAD_FORMATS] : [],
    description: row.description,
    classification: row.classification,
    openConditions: row.openConditions,
    shareType: row.shareType,
    license: row.license,
    nextUpdateDue: row.nextUpdateDue,
    temporal: { start: row.temporalStart, end: row.temporalEnd },
    spatial: row.spatial,
    containsPersonalInfo: row.fields.some((f) => f.sensitivity !== 'none'),
    containsSensitivePersonalInfo: row.fields.some((f) => f.sensitivity === 'sensitive_personal'),
    distributions:
      downloadable && current
        ? DOWNLOAD_FORMATS.map((format) => ({
            format,
            mediaType: MEDIA_TYPES[format],
            downloadUrl: `/open/datasets/${encodeURIComponent(row.code)}/download?format=${format}`,
            // a download is masked and re-encoded per request: the upload's size and digest do not describe it
            byteSize: null,
            checksum: null,
            rowCount: current.rowCount,
            version: current.version,
          }))
        : [],
    fields: fields ?? [],
    withheldFields: row.fields.length - (fields?.length ?? 0),
    downloadable,
    versions: extras.versions,
    quality: qualityScore(row, now),
    downloads: extras.downloads,
    feedback: extras.feedback,
  };
}
