// Synthetic data for operators' development loop: masked samples and the data of dry runs. Never a real value.
export { DRY_RUN_ROWS, MAX_SAMPLE_ROWS, maskedSample, sampleRows } from './masked-sample.ts';
export type { MaskedSample } from './masked-sample.ts';
export { syntheticRawColumns } from './synthetic-rows.ts';
export { NULL_RATE, valuesByType } from './by-type.ts';
export { getDatasetSample } from './get-sample.ts';
export type { SampleView } from './get-sample.ts';
