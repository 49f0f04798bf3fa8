// Operator public keys: only ES256 (P-256) and EdDSA (Ed25519), public parts only, usable by jose.
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import { AppError } from '../../errors/index.ts';

export type OperatorKeyAlg = 'ES256' | 'EdDSA';

export interface OperatorKey {
  kid: string;
  alg: OperatorKeyAlg;
  jwk: JWK;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Throws VALIDATION_FAILED naming the problem (never echoing key material). */
export async function checkPublicJwk(input: Record<string, unknown>): Promise<OperatorKey> {
  const bad = (message: string) => new AppError('VALIDATION_FAILED', `key refused: ${message}`);
  if (PRIVATE_MEMBERS.some((m) => m in input)) throw bad('it contains private key material; register the public key only');
  let alg: OperatorKeyAlg;
  let jwk: JWK;
  if (input.kty === 'EC' && input.crv === 'P-256' && typeof input.x === 'string' && typeof input.y === 'string') {
    alg = 'ES256';
    jwk = { kty: 'EC', crv: 'P-256', x: input.x, y: input.y };
  } else if (input.kty === 'OKP' && input.crv === 'Ed25519' && typeof input.x === 'string') {
    alg = 'EdDSA';
    jwk = { kty: 'OKP', crv: 'Ed25519', x: input.x };
  } else {
    throw bad('only EC P-256 (ES256) and OKP Ed25519 (EdDSA) public keys are accepted');
  }
  if (input.alg !== undefined && input.alg !== alg) throw bad(`alg does not match the key type (expected ${alg})`);
  try {
    await importJWK(jwk, alg);
  } catch {
    throw bad('the key does not parse as a valid public key');
  }
  const kid = typeof input.kid === 'string' && /^[\w.-]{1,64}$/.test(input.kid) ? input.kid : await calculateJwkThumbprint(jwk);
  return { kid, alg, jwk: { ...jwk, kid, alg, use: 'sig' } };
}
