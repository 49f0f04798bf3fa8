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
