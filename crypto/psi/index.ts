// ECDH-PSI (private set intersection) over X25519: pure primitives; the protocol roles are in protocol.ts.
export {
  PSI_HASH_VERSION,
  PSI_POINT_BYTES,
  PsiKey,
  decodePoint,
  encodePoint,
  hashToPoint,
  isCanonicalPoint,
  normalizeIdentifier,
  psiError,
  randomPermutation,
  shuffleInPlace,
} from './ecdh-psi.ts';
export { PsiClientRun, hashAllToPoints, psiContext, psiServerAnswer, psiServerSet } from './protocol.ts';
export type { PsiClientRequest, PsiServerAnswer } from './protocol.ts';
