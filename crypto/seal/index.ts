// Microsoft SEAL (node-seal 6, WASM): BFV exact integers with batching, CKKS reals, keys, homomorphic operations,
// encrypted scoring, and compact versioned serialization. See docs/crypto.md § SEAL for ownership and limits.
export { loadSeal } from './runtime.ts';
export type { SealErrorReason } from './runtime.ts';
export { createSealContext, isSealPreset, SEAL_PRESETS } from './context.ts';
export type { SealContext, SealPreset, SealScheme } from './context.ts';
export { defaultGaloisSteps, deserializeSealKeys, generateSealKeys, sealEvaluationKeys, serializeSealKey } from './keys.ts';
export type { SealKeyKind, SealKeyOptions, SealKeys, SerializedSealKeys } from './keys.ts';
export {
  bfvDecrypt,
  bfvEncrypt,
  bfvNoiseBudget,
  ckksDecrypt,
  ckksEncrypt,
  deserializeCiphertext,
  encryptCompact,
  serializeCiphertext,
} from './ciphertext.ts';
export type { BfvValues, SealCiphertext, SealCompression } from './ciphertext.ts';
export { ENVELOPE_HEADER_BYTES, ENVELOPE_VERSION, sealBytesToBase64 } from './envelope.ts';
export type { SealBytes, SealObjectKind } from './envelope.ts';
export {
  ckksDecryptScores,
  ckksDotProduct,
  ckksRowsPerCiphertext,
  ckksScoreRows,
  replicateWeights,
  sealAdd,
  sealAddPlain,
  sealMultiply,
  sealRotate,
  sealSub,
  sealSumSlots,
} from './ops.ts';
export {
  checkEnvelope,
  ciphertextShape,
  ckksConjugationKey,
  ckksEncryptBroadcast,
  ckksScoreColumns,
  conjugationElement,
  isSerializedSecretKey,
  SCORING_WEIGHT_PRIMES,
} from './columns.ts';
export type { CiphertextShape, ScoreColumnsOptions } from './columns.ts';
