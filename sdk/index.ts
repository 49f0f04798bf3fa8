export { OperatorClient, PlatformError } from './operator-client.ts';
export type { OperatorClientOptions, OperatorCredentials } from './operator-client.ts';
export { credentialsSchema, readCredentials, writeCredentials } from './credentials-file.ts';
export type { CredentialsFile } from './credentials-file.ts';
export { parseIdList, psiMatch } from './psi.ts';
export type { PsiMatchOptions, PsiMatchResult } from './psi.ts';
export { createScoringKeys, decryptScores, encryptedScore, encryptModel } from './encrypted-scoring.ts';
export type { EncryptedScoreOptions, EncryptedScoreResult, ScoringAnswer, ScoringKeys, ScoringModel } from './encrypted-scoring.ts';
