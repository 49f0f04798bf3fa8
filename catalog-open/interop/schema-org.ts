// A catalog entry → schema.org `Dataset` JSON-LD, embedded in the dataset page for search engines (Google Dataset
// Search reads it). Wire format: keep the property names of schema.org.
import type { CatalogEntryView } from '../catalog/types.ts';
import { datasetIri, departmentIri } from './dcat.ts';
import { FORMATS, licenseUri } from './vocabularies.ts';

export type SchemaOrgEntry = Pick<
  CatalogEntryView,
  | 'code'
  | 'resourceCode'
  | 'name'
  | 'summary'
  | 'description'
  | 'department'
  | 'departmentCode'
  | 'keywords'
  | 'openType'
  | 'license'
  | 'issued'
  | 'modified'
  | 'temporal'
  | 'spatial'
  | 'distributions'
>;

/** ISO 8601 interval for temporalCoverage: `start/end`, `start/..` or `../end`. */
function temporalCoverage(t: SchemaOrgEntry['temporal']): string | undefined {
  if (!t.start && !t.end) return undefined;
  return `${t.start ?? '..'}/${t.end ?? '..'}`;
}

/** schema.org Dataset for one entry; `base` is the portal's absolute origin. */
export function toSchemaOrgDataset(entry: SchemaOrgEntry, base: string): Record<string, unknown> {
  const organization = {
    '@type': 'GovernmentOrganization',
    '@id': departmentIri(base, entry.departmentCode),
    name: entry.department,
    identifier: entry.departmentCode,
  };
  const doc: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': datasetIri(base, entry.code),
    url: datasetIri(base, entry.code),
    name: entry.name,
    // Google asks for 50–5000 characters; the longest text we have
    description: entry.description || entry.summary || entry.name,
    identifier: entry.resourceCode,
    keywords: entry.keywords,
    license: licenseUri(entry.license, base),
    creator: organization,
    publisher: organization,
    inLanguage: 'zh-CN',
    isAccessibleForFree: true,
    // conditional data is listed but downloads only after an approved application
    conditionsOfAccess: entry.openType === 'unconditional' ? '无条件开放' : '有条件开放：需提交申请并经审核',
    dateModified: entry.modified,
    distribution: entry.openType === 'unconditional'
      ? entry.distributions.map((d) => ({
          '@type': 'DataDownload',
          encodingFormat: FORMATS[d.format].ianaMediaType ?? d.mediaType,
          contentUrl: new URL(d.downloadUrl, base).href,
          ...(d.byteSize === null ? {} : { contentSize: `${d.byteSize} B` }),
        }))
      : [],
  };
  if (entry.issued) doc.datePublished = entry.issued;
  const temporal = temporalCoverage(entry.temporal);
  if (temporal) doc.temporalCoverage = temporal;
  if (entry.spatial) doc.spatialCoverage = { '@type': 'Place', name: entry.spatial };
  return doc;
}
