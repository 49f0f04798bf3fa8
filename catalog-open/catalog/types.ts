// The public shape of the open-data catalog: what GET /open/datasets returns, what the DCAT/CKAN mappings and the portal
// pages render. Wire format: keep these names stable; add fields, never rename or remove them.
import type { ResourceClassification } from '../schema.ts';
import type { Grade, UpdateCycle } from '../../store/index.ts';

export type { ResourceClassification };

/** Open attributes that are listed in the public catalog (not_open never is). */
export type PublicOpenType = 'unconditional' | 'conditional';
/** 共享属性 */
export type ShareType = 'unconditional' | 'conditional' | 'not_shared';

/** Download formats every distribution is offered in. */
export const DOWNLOAD_FORMATS = ['csv', 'ndjson', 'json', 'xlsx'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export const MEDIA_TYPES: Record<DownloadFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Metadata quality score 0–100 and its parts (see docs/open-data.md "Catalog"). */
export interface QualityScore {
  score: number;
  parts: {
    /** 0–40: share of the recommended catalog fields filled in */
    completeness: number;
    /** 0–25: last load within the update cycle / before nextUpdateDue */
    timeliness: number;
    /** 0–15: machine-readable open formats offered */
    openFormat: number;
    /** 0–20: a current version with rows to download */
    workingDownloads: number;
  };
  /** which recommended metadata is missing, by field name (for stewards) */
  missing: string[];
  /** whether the next update is past due */
  overdue: boolean;
}

/** One download format of the current version. */
export interface CatalogDistribution {
  format: DownloadFormat;
  mediaType: string;
  /** relative URL: /open/datasets/{code}/download?format=... */
  downloadUrl: string;
  /**
   * null: a download is desensitized and encoded per request (fields=, filters), so no fixed size or digest describes
   * it; the upload's own size and SHA-256 are in `versions` (provenance of the source)
   */
  byteSize: number | null;
  checksum: string | null;
  rowCount: number | null;
  version: number | null;
}

/** A field as downloads release it. */
export interface CatalogField {
  name: string;
  type: string;
  description: string;
  /** true when the download policy masks (desensitizes) this field */
  masked: boolean;
}

export interface CatalogVersion {
  version: number;
  rowCount: number;
  byteCount: number;
  checksum: string;
  format: string;
  loadedAt: string;
}

/** A row of the catalog search: enough to render a result list. */
export interface CatalogSummary {
  code: string;
  resourceCode: string;
  name: string;
  summary: string;
  department: string;
  departmentCode: string;
  theme: string;
  keywords: string[];
  openType: PublicOpenType;
  grade: Grade;
  updateCycle: UpdateCycle;
  formats: DownloadFormat[];
  /** ISO 8601; the later of the last load and the last metadata change */
  modified: string;
  issued: string | null;
  qualityScore: number;
  /** false when the dataset has no catalog entry yet and defaults are shown */
  described: boolean;
}

/** The full public catalog entry (GET /open/datasets/{code}). */
export interface CatalogEntryView extends CatalogSummary {
  description: string;
  classification: ResourceClassification | null;
  openConditions: string | null;
  shareType: ShareType;
  license: string;
  nextUpdateDue: string | null;
  temporal: { start: string | null; end: string | null };
  spatial: string | null;
  /** derived from field sensitivity */
  containsPersonalInfo: boolean;
  containsSensitivePersonalInfo: boolean;
  distributions: CatalogDistribution[];
  /** the fields an open download releases (dropped fields are absent; see withheldFields) */
  fields: CatalogField[];
  /** how many registered fields the download policy leaves out */
  withheldFields: number;
  /** false when no current version or no download policy exists: then distributions is empty */
  downloadable: boolean;
  versions: CatalogVersion[];
  quality: QualityScore;
  /** counts filled by other open-data modules; cheap aggregates */
  downloads: number;
  feedback: { open: number; resolved: number };
}

export interface CatalogFacetValue {
  /** what the matching filter parameter accepts (department: the department code) */
  value: string;
  /** human-readable name where it differs from value (the department's name) */
  label?: string;
  count: number;
}

export interface CatalogFacets {
  department: CatalogFacetValue[];
  theme: CatalogFacetValue[];
  openType: CatalogFacetValue[];
  format: CatalogFacetValue[];
  grade: CatalogFacetValue[];
}

/** One page of GET /open/datasets. */
export interface CatalogSearchPage {
  items: CatalogSummary[];
  facets: CatalogFacets;
  /** opaque; null on the last page */
  nextCursor: string | null;
  /** matches of the whole query, all pages */
  total: number;
}

export const CATALOG_SORTS = ['modified', 'name', 'code'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

export interface CatalogQuery {
  q?: string | undefined;
  department?: string | undefined;
  theme?: string | undefined;
  openType?: PublicOpenType | undefined;
  format?: DownloadFormat | undefined;
  grade?: Grade | undefined;
  sort?: CatalogSort | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Per-department summary (GET /open/departments). */
export interface DepartmentSummary {
  department: string;
  departmentCode: string;
  /** notOpen counts registered 不予开放 datasets (never listed individually) */
  datasets: { unconditional: number; conditional: number; notOpen: number; total: number };
  meanQuality: number;
  overdueUpdates: number;
  downloads: number;
  feedback: { open: number; resolved: number };
}
