// Open statistics (开放统计): aggregates of the base libraries, published as unconditional open datasets through the
// same trusted reduction and output disclosure control as job outputs.
export { publishOpenStatistic, PLATFORM_OPERATOR } from './publish.ts';
export type { PublishedStatistic, PublishOptions } from './publish.ts';
export { computeStatistic, publicRules, toCsv } from './compute.ts';
export type { ComputedStatistic, StatisticRow } from './compute.ts';
export { AGE_BANDS, ageBand, OPEN_STATISTICS, statisticDefinition, TOTAL_LABEL } from './specs.ts';
export type { OpenStatisticSpec } from './specs.ts';
