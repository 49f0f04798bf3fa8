export { canonicalJson } from './canonical-json.ts';
export { sm3, sm3Hex } from './sm3.ts';
export {
  SM2_DEFAULT_USER_ID,
  SM2_N,
  generateSm2KeyPair,
  parseSm2PrivateKey,
  sm2KeyPairFromPrivateKey,
  sm2KeyPairToPem,
  sm2Sign,
  sm2Verify,
} from './sm2/index.ts';
export type { Sm2KeyPair, Sm2Options } from './sm2/index.ts';
export * as paillier from './paillier/index.ts';
export { PaillierPrivateKey, PaillierPublicKey, RandomnessPool, generatePaillierKeys } from './paillier/index.ts';
export type { PaillierKeyPair } from './paillier/index.ts';
export * as secureAggregation from './secure-aggregation/index.ts';
export { SecAggClient, SecAggServer } from './secure-aggregation/index.ts';
export type { SecAggClientMessage, SecAggParams } from './secure-aggregation/index.ts';
export {
  SEAL_PRESETS,
  bfvDecrypt,
  bfvEncrypt,
  bfvNoiseBudget,
  ckksDecrypt,
  ckksDecryptScores,
  ckksDotProduct,
  ckksEncrypt,
  ckksRowsPerCiphertext,
  ckksScoreRows,
  createSealContext,
  defaultGaloisSteps,
  deserializeCiphertext,
  deserializeSealKeys,
  encryptCompact,
  generateSealKeys,
  isSealPreset,
  loadSeal,
  replicateWeights,
  sealAdd,
  sealAddPlain,
  sealBytesToBase64,
  sealEvaluationKeys,
  sealMultiply,
  sealRotate,
  sealSub,
  sealSumSlots,
  serializeCiphertext,
  serializeSealKey,
} from './seal/index.ts';
export type {
  BfvValues,
  SealBytes,
  SealCiphertext,
  SealCompression,
  SealContext,
  SealErrorReason,
  SealKeyKind,
  SealKeyOptions,
  SealKeys,
  SealPreset,
  SealScheme,
  SerializedSealKeys,
} from './seal/index.ts';
export * as psi from './psi/index.ts';
export { PsiClientRun, PsiKey } from './psi/index.ts';
export type { PsiClientRequest, PsiServerAnswer } from './psi/index.ts';
export {
  checkEnvelope,
  ciphertextShape,
  ckksConjugationKey,
  ckksEncryptBroadcast,
  ckksScoreColumns,
  conjugationElement,
  isSerializedSecretKey,
  SCORING_WEIGHT_PRIMES,
} from './seal/index.ts';
export type { CiphertextShape, ScoreColumnsOptions } from './seal/index.ts';
