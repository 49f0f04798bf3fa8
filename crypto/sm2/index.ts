export { SM2_N, generateSm2KeyPair, parseSm2PrivateKey, sm2KeyPairFromPrivateKey, sm2KeyPairToPem } from './keys.ts';
export type { Sm2KeyPair } from './keys.ts';
export { SM2_DEFAULT_USER_ID, sm2Sign, sm2Verify } from './sign.ts';
export type { Sm2Options } from './sign.ts';
