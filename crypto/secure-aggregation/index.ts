export { SecAggClient, SecAggServer, pairwiseSeed, validateParams } from './protocol.ts';
export type {
  AdvertiseKeys,
  KeyDirectory,
  MaskedInput,
  SecAggClientMessage,
  SecAggParams,
  ShareDelivery,
  ShareKeys,
  SurvivorList,
  UnmaskShares,
} from './protocol.ts';
export {
  aesCtrKeystream,
  expandMask,
  gcmOpen,
  gcmSeal,
  generateX25519,
  hkdfSha256,
  x25519Agree,
  x25519PrivateFromRaw,
  x25519PrivateRaw,
  x25519PublicFromRaw,
  x25519PublicRaw,
} from './primitives.ts';
export type { Sealed, X25519KeyPair } from './primitives.ts';
export { SHAMIR_PRIME, combineShares, interpolate, lagrangeAtZero, splitSecret } from './shamir.ts';
export type { Share } from './shamir.ts';
export { dequantize, quantizationBound, quantize } from './quantize.ts';
export type { QuantizationParams } from './quantize.ts';
