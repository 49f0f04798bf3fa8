export type { AuthorizationQuestion, VerbContext } from './context.ts';
export {
  describeDatasetVerb,
  listDatasetsVerb,
  loadDatasetVerb,
  registerDatasetVerb,
  showDatasetVerb,
} from './registry/registry-verbs.ts';
export { submitApplicationVerb } from './applications/submit-application.ts';
export { applicationByToken, showApplicationVerb } from './applications/show-application.ts';
export { applicationResource, listApplicationsVerb } from './applications/list-applications.ts';
export { decideApplicationVerb } from './applications/decide-application.ts';
export { requiredAccess } from './applications/access-rule.ts';
export { hashStatusToken, statusTokenMatches } from './applications/status-token.ts';
export { APPLICATION_STATUSES, decisionSchema, submitApplicationSchema } from './applications/schemas.ts';
export { DEFAULT_EPSILON, DEFAULT_IP_ALLOWLIST, DEFAULT_MAX_JOBS_PER_DAY, SANDBOX_OPERATIONS } from './applications/sandbox-license.ts';
export type { ApplicationRow, ApplicationStatusView, NextStep, StewardApplicationView } from './applications/application-view.ts';
export { applicationCounts } from './applications/application-counts.ts';
export type { ApplicationCounts } from './applications/application-counts.ts';
export { submitFeedbackVerb } from './feedback/submit-feedback.ts';
export { feedbackCounts, listDatasetFeedbackVerb, showFeedbackVerb } from './feedback/show-feedback.ts';
export type { FeedbackCounts } from './feedback/show-feedback.ts';
export { listFeedbackVerb, replyFeedbackVerb } from './feedback/steward-feedback.ts';
export { replyFeedbackSchema, submitFeedbackSchema } from './feedback/schemas.ts';
export type { PublicFeedbackView, StewardFeedbackView } from './feedback/feedback-view.ts';
export { FEEDBACK_KINDS, FEEDBACK_STATUSES } from './schema.ts';
export {
  comparePriorityYears,
  demandSignalsVerb,
  notYetOpen,
  exportFile as exportPriorityListFile,
  listPriorityListsVerb,
  listPublicYears as listPublicPriorityYears,
  publishPriorityListVerb,
  savePriorityDraftVerb,
  seedPriorityList,
  showPriorityListVerb,
  showPublicYear as showPublicPriorityYear,
  PUBLIC_FORMATS as PRIORITY_LIST_FORMATS,
  ITEM_STATUSES as PRIORITY_ITEM_STATUSES,
  saveDraftSchema as priorityDraftSchema,
} from './priority-lists/index.ts';
export type { PriorityListItemInput } from './priority-lists/index.ts';

// Open-data catalog (公共数据开放目录): public search and entries, the steward's metadata, per-department summary.
export type {
  CatalogDistribution,
  CatalogEntryView,
  CatalogFacets,
  CatalogFacetValue,
  CatalogField,
  CatalogQuery,
  CatalogSearchPage,
  CatalogSort,
  CatalogSummary,
  CatalogVersion,
  DepartmentSummary,
  DownloadFormat,
  PublicOpenType,
  QualityScore,
  ResourceClassification,
  ShareType,
} from './catalog/types.ts';
export { CATALOG_SORTS, DOWNLOAD_FORMATS, MEDIA_TYPES } from './catalog/types.ts';
/** One page of the public catalog (unconditional + conditional datasets) with facets, total and an opaque cursor. */
export { searchCatalog } from './catalog/search-catalog.ts';
/** The full public entry of one open dataset; DATASET_NOT_FOUND for unknown and not_open codes alike. */
export { showCatalogEntry } from './catalog/show-entry.ts';
/** Steward's PUT of a dataset's catalog metadata (Cedar ManageDataset, audited in the same transaction). */
export { upsertCatalogEntry } from './catalog/upsert-entry.ts';
export type { UpsertResult } from './catalog/upsert-entry.ts';
/** Per-department summary: datasets by open attribute, mean quality score, overdue updates, downloads, feedback. */
export { departmentSummary } from './catalog/department-summary.ts';
/** The metadata quality score of a catalog row (pure) and the zod input of catalog metadata. */
export { qualityScore } from './catalog/quality.ts';
export { catalogEntryInputSchema } from './catalog/schemas.ts';
export type { CatalogEntryInput } from './catalog/schemas.ts';

// Streamed, desensitized downloads (GET /open/datasets/{code}/download) and the table writers they share.
export {
  applicationCredentialForSession,
  countDownload,
  findApplicationCredential,
  planDownloadVerb,
  streamDownload,
  streamDownloadOffLoop,
  SMALL_DOWNLOAD_ROWS,
} from './downloads/index.ts';
export type { ApplicationCredential, DownloadPlan, DownloadRequest, MaskInputs } from './downloads/index.ts';
export {
  collectBytes,
  csvStream,
  jsonStream,
  ndjsonStream,
  writeRows,
  xlsxStream,
  OUTPUT_EXTENSIONS,
  OUTPUT_FORMATS,
  OUTPUT_MEDIA_TYPES,
} from './formats/index.ts';
export type { OutputColumn, OutputFormat, OutputRow, RowBatches } from './formats/index.ts';
/** Registered datasets without a catalog entry (demo seeding, stewards' to-do). */
export { undescribedDatasets } from './catalog/undescribed.ts';
export type { UndescribedDataset } from './catalog/undescribed.ts';

// Interoperability: CKAN Action API v3 subset, DCAT-AP 3 catalog and schema.org Dataset JSON-LD (catalog-open/interop).
export {
  CKAN_ACTIONS,
  DCAT_PAGE_SIZE_DEFAULT,
  DCAT_PAGE_SIZE_MAX,
  dcatCatalogPage,
  PORTAL,
  runCkanAction,
  toSchemaOrgDataset,
} from './interop/index.ts';
export type { CkanContext } from './interop/index.ts';

// Counts for the staff dashboard.
export { downloadsPerDataset } from './stats/index.ts';
export type { DatasetDownloads } from './stats/index.ts';
