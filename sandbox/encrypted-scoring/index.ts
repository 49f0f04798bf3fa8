// Encrypted scoring for inclusive finance (普惠金融): a bank's CKKS-encrypted linear model over consenting
// enterprises' masked features, computed without seeing the weights; only the bank can decrypt the scores.
export { runScoring, SCORING_ACTION } from './run-scoring.ts';
export type { ScoringDeps } from './run-scoring.ts';
export { SCORING_SOURCES } from './features.ts';
export { SCORING_LIMITS, scoringRequestSchema } from './schemas.ts';
export type { FeatureStandardization, ScoringRequest, ScoringResponse } from './schemas.ts';
