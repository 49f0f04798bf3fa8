export { downloadsPerDataset } from './downloads.ts';
export type { DatasetDownloads } from './downloads.ts';
