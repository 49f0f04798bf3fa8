// Catalog entries → a DCAT-AP 3.0.1 catalog in JSON-LD, paged with Hydra. Wire format: harvesters (data.europa.eu
// style) read it; it must keep conforming to the official SHACL shapes (dcat.test.ts validates it).
import type { CatalogDistribution, CatalogEntryView } from '../catalog/types.ts';
import { ACCESS_RIGHTS, euDataTheme, FORMATS, FREQUENCIES, ianaMediaTypeIri, licenseTitle, licenseUri } from './vocabularies.ts';

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  locn: 'http://www.w3.org/ns/locn#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;

/** What the DCAT mapping reads of a catalog entry. */
export type DcatEntry = Pick<
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
  | 'updateCycle'
  | 'issued'
  | 'modified'
  | 'temporal'
  | 'spatial'
  | 'license'
  | 'distributions'
>;

export interface CatalogInfo {
  /** absolute origin of the portal, without a trailing slash (config.publicUrl) */
  base: string;
  title: string;
  description: string;
  /** the body that runs the portal: the catalog's dct:publisher */
  publisher: string;
}

export interface CatalogPage {
  page: number;
  pageSize: number;
  /** entries of all pages */
  total: number;
}

type Node = Record<string, unknown>;

const zh = (value: string) => ({ '@value': value, '@language': 'zh' });
const dateTime = (iso: string) => ({ '@value': new Date(iso).toISOString(), '@type': 'xsd:dateTime' });
const date = (day: string) => ({ '@value': day.slice(0, 10), '@type': 'xsd:date' });
const iri = (id: string) => ({ '@id': id });

export const datasetIri = (base: string, code: string) => `${base}/open/datasets/${encodeURIComponent(code)}`;
export const departmentIri = (base: string, departmentCode: string) => `${base}/open/departments/${encodeURIComponent(departmentCode)}`;
const themeSchemeIri = (base: string) => `${base}/open/themes`;

function agent(id: string, name: string): Node {
  return { '@id': id, '@type': 'foaf:Agent', 'foaf:name': zh(name) };
}

function distribution(entry: DcatEntry, d: CatalogDistribution, base: string): Node {
  const landing = datasetIri(base, entry.code);
  const format = FORMATS[d.format];
  const node: Node = {
    '@id': `${landing}#distribution-${d.format}`,
    '@type': 'dcat:Distribution',
    'dct:title': zh(`${entry.name} (${format.label})`),
    // accessURL: the page that gives access; for conditional data that is where an application starts
    'dcat:accessURL': iri(landing),
    'dct:format': format.fileType ? iri(format.fileType) : { '@type': 'dct:MediaTypeOrExtent', 'rdfs:label': format.label },
    'dct:license': { '@id': licenseUri(entry.license, base), '@type': 'dct:LicenseDocument', 'rdfs:label': licenseTitle(entry.license) },
  };
  // conditional data downloads only with an approved application's token: no direct downloadURL for it
  if (entry.openType === 'unconditional') node['dcat:downloadURL'] = iri(new URL(d.downloadUrl, base).href);
  if (format.ianaMediaType) node['dcat:mediaType'] = iri(ianaMediaTypeIri(format.ianaMediaType));
  if (d.byteSize !== null) node['dcat:byteSize'] = { '@value': String(d.byteSize), '@type': 'xsd:nonNegativeInteger' };
  if (d.checksum !== null) {
    node['spdx:checksum'] = {
      '@type': 'spdx:Checksum',
      'spdx:algorithm': iri('http://spdx.org/rdf/terms#checksumAlgorithm_sha256'),
      'spdx:checksumValue': { '@value': d.checksum.toLowerCase(), '@type': 'xsd:hexBinary' },
    };
  }
  return node;
}

function spatial(value: string): Node {
  // a GB/T 2260 division code has no public IRI scheme: keep it as the location's identifier
  return /^\d{6}$/.test(value)
    ? { '@type': 'dct:Location', 'dct:identifier': value }
    : { '@type': 'dct:Location', 'locn:geographicName': zh(value) };
}

/** One dcat:Dataset node (without @context). */
export function toDcatDataset(entry: DcatEntry, base: string): Node {
  const description = entry.description || entry.summary || entry.name;
  const themes: Node[] = [
    { '@id': `${themeSchemeIri(base)}/${encodeURIComponent(entry.theme)}`, '@type': 'skos:Concept', 'skos:prefLabel': zh(entry.theme), 'skos:inScheme': iri(themeSchemeIri(base)) },
  ];
  const eu = euDataTheme(entry.theme);
  if (eu) themes.push(iri(eu));
  const node: Node = {
    '@id': datasetIri(base, entry.code),
    '@type': 'dcat:Dataset',
    'dct:title': zh(entry.name),
    'dct:description': zh(description),
    'dct:identifier': entry.resourceCode,
    'dct:publisher': agent(departmentIri(base, entry.departmentCode), entry.department),
    'dcat:theme': themes,
    'dcat:keyword': entry.keywords.map(zh),
    'dct:accessRights': iri(ACCESS_RIGHTS[entry.openType]),
    'dct:accrualPeriodicity': iri(FREQUENCIES[entry.updateCycle]),
    'dct:modified': dateTime(entry.modified),
    'dcat:distribution': entry.distributions.map((d) => distribution(entry, d, base)),
  };
  if (entry.issued) node['dct:issued'] = dateTime(entry.issued);
  if (entry.temporal.start || entry.temporal.end) {
    const period: Node = { '@type': 'dct:PeriodOfTime' };
    if (entry.temporal.start) period['dcat:startDate'] = date(entry.temporal.start);
    if (entry.temporal.end) period['dcat:endDate'] = date(entry.temporal.end);
    node['dct:temporal'] = period;
  }
  if (entry.spatial) node['dct:spatial'] = spatial(entry.spatial);
  return node;
}

/** `?page=&pageSize=` URL of the catalog. */
export const catalogPageUrl = (base: string, page: number, pageSize: number) => `${base}/open/catalog.jsonld?page=${page}&pageSize=${pageSize}`;

/** The whole JSON-LD document of one page: the dcat:Catalog, its datasets, and a hydra:PartialCollectionView. */
export function toDcatCatalog(entries: readonly DcatEntry[], info: CatalogInfo, page: CatalogPage): Node {
  const { base } = info;
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  const view: Node = {
    '@id': catalogPageUrl(base, page.page, page.pageSize),
    '@type': 'hydra:PartialCollectionView',
    'hydra:first': iri(catalogPageUrl(base, 1, page.pageSize)),
    'hydra:last': iri(catalogPageUrl(base, last, page.pageSize)),
  };
  if (page.page > 1) view['hydra:previous'] = iri(catalogPageUrl(base, Math.min(page.page - 1, last), page.pageSize));
  if (page.page < last) view['hydra:next'] = iri(catalogPageUrl(base, page.page + 1, page.pageSize));
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${base}/open/catalog.jsonld`,
    '@type': ['dcat:Catalog', 'hydra:Collection'],
    'dct:title': zh(info.title),
    'dct:description': zh(info.description),
    'dct:publisher': agent(`${base}/#publisher`, info.publisher),
    'foaf:homepage': iri(`${base}/`),
    'dcat:themeTaxonomy': { '@id': themeSchemeIri(base), '@type': 'skos:ConceptScheme', 'dct:title': zh('数据领域') },
    'hydra:totalItems': page.total,
    'hydra:view': view,
    'dcat:dataset': entries.map((e) => toDcatDataset(e, base)),
  };
}
