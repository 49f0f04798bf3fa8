export {
  DJN_EXPONENT_BITS,
  PAILLIER_MIN_BITS,
  PaillierPrivateKey,
  PaillierPublicKey,
  RandomnessPool,
  generateDjnParameters,
  generatePaillierKeys,
  paillierKeysFromPrimes,
} from './paillier.ts';
export type { DjnParameters, PaillierKeyOptions, PaillierKeyPair } from './paillier.ts';
export { decodeFixedPoint, encodeFixedPoint, fixedPointCapacity, packVector, packingLayout, unpackVector } from './encoding.ts';
export type { PackingLayout } from './encoding.ts';
export {
  PAILLIER_FORMAT_VERSION,
  deserializeCiphertext,
  deserializeCiphertexts,
  deserializePrivateKey,
  deserializePublicKey,
  serializeCiphertext,
  serializeCiphertexts,
  serializePrivateKey,
  serializePublicKey,
} from './serialize.ts';
export type { DeserializeOptions } from './serialize.ts';
