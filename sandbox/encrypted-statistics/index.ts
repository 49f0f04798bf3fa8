// Encrypted statistics with a key custodian: departments contribute Paillier-encrypted figures, the platform adds
// them and masks the sum, the custodian decrypts only that into disclosure control (docs/encrypted-statistics.md).
export { openRound } from './open-round.ts';
export { getRound } from './get-round.ts';
export { contribute } from './contribute.ts';
export { closeRound } from './close-round.ts';
export { decryptTotal, getDecryptionRequest } from './decrypt-total.ts';
export type { DecryptionRequest } from './decrypt-total.ts';
export { releaseTotal } from './release-total.ts';
export type { TotalRules } from './release-total.ts';
export { answerDecryptionRequest, encryptContribution } from './client.ts';
export type { Figures, RoundForClient } from './client.ts';
export { contributeSchema, decryptionSchema, openRoundSchema, ROUND_GRADES } from './schemas.ts';
export type { ContributeInput, DecryptionInput, OpenRoundInput } from './schemas.ts';
export type { RoundView } from './round-view.ts';
export { encryptedContributions, encryptedRounds, ROUND_STATUSES } from './schema.ts';
export type { ReleasedRound, ReleasedStatistic, RoundStatus } from './schema.ts';
