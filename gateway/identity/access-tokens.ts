// Access tokens: issued by the gateway (ES256), verified with every option pinned.
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../../errors/index.ts';
import { ACCESS_TOKEN_ALG, type SigningKeys } from './signing-keys.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Tokens above this size are refused before any parsing or crypto: nothing legitimate is that big. */
export const MAX_TOKEN_BYTES = 8 * 1024;
const TOKEN_TYPE = 'at+jwt';
const CLOCK_TOLERANCE_SECONDS = 30;

export type TokenRole = 'security' | 'steward' | 'custodian' | 'operator';

export interface AccessClaims extends JWTPayload {
  sub: string;
  role: TokenRole;
  jti: string;
  licenses?: string[];
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function issueAccessToken(
  keys: SigningKeys,
  issuer: string,
  claims: { sub: string; role: TokenRole; licenses?: string[] },
): Promise<IssuedToken> {
  const { kid, key } = await keys.signingKey();
  const token = await new SignJWT({ role: claims.role, ...(claims.licenses ? { licenses: claims.licenses } : {}) })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(issuer)
    .setSubject(claims.sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key);
  return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS };
}

const refuse = (message: string) => new AppError('UNAUTHENTICATED', message);

/**
 * Throws UNAUTHENTICATED for any token that is not exactly what this gateway issues. The message names the kind
 * of problem only; it never echoes the token.
 */
export async function verifyAccessToken(keys: SigningKeys, issuer: string, token: string): Promise<AccessClaims> {
  if (token.length > MAX_TOKEN_BYTES) throw refuse('token too large');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw refuse('malformed token');
  }
  // keys come only from our own store: a token must never bring its own key or say where to fetch one
  if ('jwk' in header || 'jku' in header || 'x5u' in header || 'x5c' in header) throw refuse('token carries a key reference');
  if (header.alg !== ACCESS_TOKEN_ALG) throw refuse('token algorithm not accepted');
  if (typeof header.kid !== 'string') throw refuse('token has no key id');
  const key = await keys.verificationKey(header.kid);
  if (!key) throw refuse('token signed by an unknown key');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ACCESS_TOKEN_ALG],
      issuer,
      audience: issuer,
      typ: TOKEN_TYPE,
      requiredClaims: ['iss', 'aud', 'sub', 'exp', 'iat', 'jti'],
      maxTokenAge: `${ACCESS_TOKEN_TTL_SECONDS}s`,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.role !== 'security' && payload.role !== 'steward' && payload.role !== 'custodian' && payload.role !== 'operator') {
      throw refuse('token has no valid role');
    }
    return payload as AccessClaims;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw refuse('token expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw refuse(`token claim "${err.claim}" rejected`);
    throw refuse('token signature or format invalid');
  }
}
