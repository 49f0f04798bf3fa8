// Confinement of operators' models: partitioned runs in fresh isolates and the row-locality check.
export { runConfined } from './run-confined.ts';
export type { ConfinedJob, ConfinedResult, ConfinementOptions } from './run-confined.ts';
export { DEFAULT_PLAN, planConfinedRuns } from './plan.ts';
export type { ConfinementPlan, ConfinementPlanOptions, Shard } from './plan.ts';
export { cryptoShuffleRandom, seededShuffleRandom } from './random.ts';
export type { ShuffleRandom } from './random.ts';
export type { Difference } from './compare.ts';
