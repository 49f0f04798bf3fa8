// Confinement of operators' models: partitioned runs in fresh isolates and the row-locality check, at any size.
export { runConfined } from './run-confined.ts';
export type { ConfinedJob, ConfinedResult } from './run-confined.ts';
export { DEFAULT_PLAN, runSharded } from './run-sharded.ts';
export type { ConfinedInput, ConfinedModel, ConfinementOptions, FieldKind, InputBatch, MainChunk, ShardedResult } from './run-sharded.ts';
export { cryptoShuffleRandom, seededShuffleRandom } from './random.ts';
export type { ShuffleRandom } from './random.ts';
export type { Difference } from './emission-digest.ts';
