// Interoperability formats of the open-data catalog: CKAN Action API v3, DCAT-AP 3 and schema.org JSON-LD.
export { CKAN_ACTIONS, CKAN_API_LEVEL, runCkanAction } from './ckan-actions.ts';
export type { CkanAction, CkanContext, CkanSite } from './ckan-actions.ts';
export { ROWS_MAX } from './ckan-params.ts';
export { organizationName, toCkanOrganization, toCkanPackage } from './ckan-package.ts';
export { DCAT_PAGE_SIZE_DEFAULT, DCAT_PAGE_SIZE_MAX, dcatCatalogPage, PORTAL } from './dcat-catalog.ts';
export { toDcatCatalog, toDcatDataset } from './dcat.ts';
export type { CatalogInfo } from './dcat.ts';
export { toSchemaOrgDataset } from './schema-org.ts';
