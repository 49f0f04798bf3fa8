// Streamed, desensitized open-data downloads (see docs/open-data.md "Downloads").
export { applicationCredentialForSession, findApplicationCredential } from './application-credential.ts';
export type { ApplicationCredential } from './application-credential.ts';
export { countDownload } from './count-download.ts';
export { MAX_FILTERS, filterCondition, parseFilters } from './filters.ts';
export type { FilterableField, ParsedFilter } from './filters.ts';
export { planDownloadVerb } from './plan-download.ts';
export type { DownloadPlan, DownloadRequest, MaskInputs } from './plan-download.ts';
export { maskedBatches, streamDownload } from './stream-download.ts';
export { SMALL_DOWNLOAD_ROWS, streamDownloadOffLoop } from './download-off-loop.ts';
export type { DownloadOffLoopOptions } from './download-off-loop.ts';
