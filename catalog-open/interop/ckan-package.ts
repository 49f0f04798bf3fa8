// Catalog entries → CKAN's package and organization dicts (Action API v3). Wire format: CKAN harvesters and clients
// (ckanapi, ckanext-harvest, ckanext-dcat) read these exact keys.
import type { CatalogEntryView, CatalogSummary } from '../catalog/types.ts';
import { datasetIri } from './dcat.ts';
import { ACCESS_RIGHTS, FORMATS, FREQUENCIES, licenseTitle, licenseUri } from './vocabularies.ts';

/**
 * CKAN names are `[a-z0-9_-]{2,100}`; department codes (unified social credit codes) are upper-case alphanumerics,
 * so the lower-cased code is the organization's name and id. Anything else is replaced, never dropped.
 */
export function organizationName(departmentCode: string): string {
  const slug = departmentCode.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  return slug.length >= 2 ? slug.slice(0, 100) : `org-${slug}`;
}

/**
 * A theme (数据领域) is a CKAN group. Group names must be `[a-z0-9_-]`, and a Chinese theme has no ASCII spelling, so
 * the name is `theme-` and the hex of its UTF-8 bytes: stable, unique and reversible; the title is the theme itself.
 */
export function groupName(theme: string): string {
  return `theme-${Buffer.from(theme, 'utf8').toString('hex')}`.slice(0, 100);
}

export interface CkanGroup {
  id: string;
  name: string;
  title: string;
  display_name: string;
  description: string;
  image_url: string;
  image_display_url: string;
  created: string;
  is_organization: false;
  approval_status: 'approved';
  state: 'active';
  type: 'group';
  package_count: number;
}

/** A theme as a CKAN group; `created` is its earliest listed dataset. */
export function toCkanGroup(theme: { theme: string; packageCount: number; created: string }): CkanGroup {
  const name = groupName(theme.theme);
  return {
    id: name,
    name,
    title: theme.theme,
    display_name: theme.theme,
    description: '',
    image_url: '',
    image_display_url: '',
    created: ckanTimestamp(theme.created),
    is_organization: false,
    approval_status: 'approved',
    state: 'active',
    type: 'group',
    package_count: theme.packageCount,
  };
}

/** CKAN prints timestamps as naive UTC ISO 8601 with microseconds: `2024-05-01T08:00:00.000000`. */
export function ckanTimestamp(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 23)}000`;
}

export interface CkanOrganization {
  id: string;
  name: string;
  title: string;
  display_name: string;
  description: string;
  image_url: string;
  created: string;
  is_organization: true;
  approval_status: 'approved';
  state: 'active';
  type: 'organization';
  package_count: number;
}

/** A department as a CKAN organization; `created` is its earliest listed dataset (CKAN requires the key). */
export function toCkanOrganization(dept: { department: string; departmentCode: string; packageCount: number; created: string }): CkanOrganization {
  const name = organizationName(dept.departmentCode);
  return {
    id: name,
    name,
    title: dept.department,
    display_name: dept.department,
    description: '',
    image_url: '',
    created: ckanTimestamp(dept.created),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    type: 'organization',
    package_count: dept.packageCount,
  };
}

/** What package dicts read of an entry. */
export type CkanEntry = Pick<
  CatalogEntryView,
  | 'code'
  | 'resourceCode'
  | 'name'
  | 'summary'
  | 'description'
  | 'department'
  | 'departmentCode'
  | 'theme'
  | 'keywords'
  | 'openType'
  | 'grade'
  | 'updateCycle'
  | 'issued'
  | 'modified'
  | 'temporal'
  | 'spatial'
  | 'license'
  | 'distributions'
>;

/** The package dict of `package_show` and `package_search`: `name` and `id` are both the dataset code. */
export function toCkanPackage(entry: CkanEntry, base: string): Record<string, unknown> {
  const org = toCkanOrganization({ department: entry.department, departmentCode: entry.departmentCode, packageCount: 0, created: entry.issued ?? entry.modified });
  const { package_count: _omit, ...organization } = org;
  const { package_count: _count, created: _created, ...group } = toCkanGroup({ theme: entry.theme, packageCount: 0, created: entry.issued ?? entry.modified });
  const landing = datasetIri(base, entry.code);
  const created = ckanTimestamp(entry.issued ?? entry.modified);
  const modified = ckanTimestamp(entry.modified);
  const resources = entry.distributions.map((d, position) => ({
    id: `${entry.code}.${d.format}`,
    package_id: entry.code,
    name: `${entry.name} (${FORMATS[d.format].label})`,
    description: '',
    format: FORMATS[d.format].label,
    // conditional data downloads only with an approved application's token: point at the entry, where one starts
    url: entry.openType === 'unconditional' ? new URL(d.downloadUrl, base).href : landing,
    mimetype: d.mediaType,
    size: d.byteSize,
    // SHA-256 hex; ckanext-dcat reads the algorithm from hash_algorithm
    hash: d.checksum ?? '',
    hash_algorithm: d.checksum ? 'sha256' : null,
    position,
    state: 'active',
    url_type: null,
    created,
    last_modified: modified,
  }));
  const extras: Record<string, string | null> = {
    resource_code: entry.resourceCode,
    open_type: entry.openType,
    access_rights: ACCESS_RIGHTS[entry.openType],
    grade: entry.grade,
    update_cycle: entry.updateCycle,
    frequency: FREQUENCIES[entry.updateCycle],
    theme: entry.theme,
    department_code: entry.departmentCode,
    spatial_text: entry.spatial,
    temporal_start: entry.temporal.start,
    temporal_end: entry.temporal.end,
    uri: landing,
  };
  return {
    id: entry.code,
    name: entry.code,
    title: entry.name,
    notes: entry.description || entry.summary,
    type: 'dataset',
    state: 'active',
    private: false,
    isopen: true,
    url: landing,
    version: null,
    author: entry.department,
    author_email: null,
    maintainer: entry.department,
    maintainer_email: null,
    license_id: entry.license,
    license_title: licenseTitle(entry.license),
    license_url: licenseUri(entry.license, base),
    metadata_created: created,
    metadata_modified: modified,
    owner_org: organization.id,
    organization,
    groups: [group],
    tags: entry.keywords.map((name) => ({ id: name, name, display_name: name, state: 'active', vocabulary_id: null })),
    num_tags: entry.keywords.length,
    resources,
    num_resources: resources.length,
    relationships_as_object: [],
    relationships_as_subject: [],
    extras: Object.entries(extras)
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([key, value]) => ({ key, value })),
  };
}

/** Upper-case CKAN format names of a summary's distributions (`res_format`). */
export const resourceFormats = (s: Pick<CatalogSummary, 'formats'>) => s.formats.map((f) => FORMATS[f].label);
