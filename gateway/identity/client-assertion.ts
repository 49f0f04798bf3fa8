// RFC 7523 private_key_jwt at /auth/token: an operator proves possession of a registered key and gets an access token.
// Refusals follow RFC 6749 §5.2: a bad request is invalid_request (400); anything wrong with the client's proof of
// identity (unknown client, bad or foreign signature, wrong claims, expired, replayed, suspended) is invalid_client
// (401), since the assertion *is* the client authentication here, not a grant; a client that authenticated but may not
// have a token now (no licence valid now, caller IP outside every allowlist) is unauthorized_client (400).
import { and, eq, isNull, lt } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK } from 'jose';
import { licenses, operatorKeys, operators, usedAssertions, type Db } from '../../store/index.ts';
import { MAX_TOKEN_BYTES } from './access-tokens.ts';
import { ipAllowed } from './ip-allowlist.ts';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** An assertion may be valid for at most this long (API.md: exp ≤ 5 minutes ahead). */
const MAX_ASSERTION_LIFETIME_SECONDS = 5 * 60;
const CLOCK_TOLERANCE_SECONDS = 30;
/** JWS algorithms accepted: ES256, and EdDSA over Ed25519 under either name (RFC 8037 `EdDSA`, RFC 9864 `Ed25519`). */
export const ASSERTION_ALGS = ['ES256', 'EdDSA', 'Ed25519'] as const;
/** The registered key algorithm an assertion's `alg` needs. */
const KEY_ALG: Record<string, string> = { ES256: 'ES256', EdDSA: 'EdDSA', Ed25519: 'EdDSA' };

/** RFC 6749 §5.2 error; the description names the kind of problem, never the assertion or key material. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'unauthorized_client',
    readonly description: string,
    readonly status: 400 | 401 = 400,
    /** the operator named by the assertion, when known: for the audit entry, not the client */
    readonly operatorId: string | null = null,
  ) {
    super(description);
  }
}

export interface AssertionGrant {
  operatorId: string;
  /** active licences valid now whose allowlist admits the caller's IP */
  licenseIds: string[];
}

function unverifiedIssuer(assertion: string): string {
  try {
    const { iss } = decodeJwt(assertion);
    if (typeof iss === 'string' && /^op_[0-9a-f-]{36}$/.test(iss)) return iss;
  } catch {
    // fall through
  }
  throw new OAuthError('invalid_client', 'client assertion is malformed or names no operator', 401);
}

/**
 * The audiences an assertion may name, as one string: the issuer identifier (RFC 7523 as updated by
 * draft-ietf-oauth-rfc7523bis, what openid-client sends) or the token endpoint's URL (RFC 7523, what API.md names).
 * An array is refused even when it holds one of them: an assertion meant for several servers could be replayed here.
 */
function audienceAccepted(aud: unknown, accepted: readonly string[]): boolean {
  return typeof aud === 'string' && accepted.includes(aud);
}

/**
 * Checks a client-credentials request and returns the grant. Throws OAuthError for every refusal: bad form, bad or
 * foreign signature, wrong iss/sub/aud, expired or too long-lived, replayed jti, operator not active, caller IP
 * outside every licence's allowlist.
 */
export async function checkClientAssertion(
  db: Db,
  request: { form: Record<string, string | undefined>; issuer: string; tokenEndpoint: string; ip: string | null; now?: Date },
): Promise<AssertionGrant> {
  const { form } = request;
  if (form.grant_type === undefined || form.grant_type === '') throw new OAuthError('invalid_request', 'grant_type is required');
  if (form.grant_type !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'only client_credentials is supported');
  if (form.client_assertion_type !== ASSERTION_TYPE) throw new OAuthError('invalid_request', 'client_assertion_type must be jwt-bearer');
  const assertion = form.client_assertion;
  if (!assertion) throw new OAuthError('invalid_request', 'client_assertion is required');
  if (assertion.length > MAX_TOKEN_BYTES) throw new OAuthError('invalid_client', 'client assertion too large', 401);

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new OAuthError('invalid_client', 'client assertion is malformed', 401);
  }
  // keys come only from the whitelist: an assertion must never bring its own key or point to one
  if ('jwk' in header || 'jku' in header || 'x5u' in header || 'x5c' in header) {
    throw new OAuthError('invalid_client', 'client assertion carries a key reference', 401);
  }
  const alg = header.alg ?? '';
  const keyAlg = KEY_ALG[alg];
  if (!keyAlg) throw new OAuthError('invalid_client', 'client assertion algorithm not accepted', 401);

  const operatorId = unverifiedIssuer(assertion);
  // RFC 6749 §2.3 / RFC 7521 §4.2: a client_id sent beside the assertion must name the same client
  if (form.client_id !== undefined && form.client_id !== operatorId) throw new OAuthError('invalid_client', 'client_id does not match the assertion', 401);
  const refuse = (description: string, error: OAuthError['error'] = 'invalid_client', status: 400 | 401 = 401) =>
    new OAuthError(error, description, status, operatorId);
  const [operator] = await db.select().from(operators).where(eq(operators.id, operatorId));
  if (!operator) throw refuse('unknown client');
  const keys = await db
    .select()
    .from(operatorKeys)
    .where(and(eq(operatorKeys.operatorId, operatorId), isNull(operatorKeys.retiredAt)));
  const candidates = keys.filter((k) => k.alg === keyAlg && (header.kid === undefined || k.kid === header.kid));
  if (candidates.length === 0) throw refuse('no registered key matches the assertion');

  const now = request.now ?? new Date();
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'] | undefined;
  for (const key of candidates) {
    try {
      ({ payload } = await jwtVerify(assertion, await importJWK(key.jwk as JWK, alg), {
        algorithms: [alg],
        issuer: operatorId,
        subject: operatorId,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      }));
      break;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw refuse('client assertion expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw refuse(`client assertion claim "${err.claim}" rejected`);
    }
  }
  if (!payload) throw refuse('client assertion signature invalid');
  if (!audienceAccepted(payload.aud, [request.issuer, request.tokenEndpoint])) {
    throw refuse('client assertion claim "aud" rejected: name the issuer or the token endpoint, as one string');
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (payload.exp! - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw refuse('client assertion lives longer than 5 minutes');
  }
  if (typeof payload.jti !== 'string' || payload.jti.length > 200) throw refuse('client assertion jti invalid');

  // a suspended or revoked operator cannot authenticate at all; an active one may lack a licence for now or here
  if (operator.status !== 'active') throw refuse(`operator is ${operator.status}`);
  const valid = (await db.select().from(licenses).where(eq(licenses.operatorId, operatorId))).filter(
    (l) => l.status === 'active' && l.validFrom <= now && now < l.validTo,
  );
  if (valid.length === 0) throw refuse('operator holds no licence valid now', 'unauthorized_client', 400);
  const admitted = valid.filter((l) => ipAllowed(request.ip, l.ipAllowlist));
  if (admitted.length === 0) throw refuse("caller IP is outside every licence's allowlist", 'unauthorized_client', 400);

  // single use: the primary key refuses a second insert of the same (operator, jti); expired ones are swept
  await db.delete(usedAssertions).where(lt(usedAssertions.expiresAt, new Date(now.getTime() - CLOCK_TOLERANCE_SECONDS * 1000)));
  const recorded = await db
    .insert(usedAssertions)
    .values({ operatorId, jti: payload.jti, expiresAt: new Date((payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000) })
    .onConflictDoNothing()
    .returning();
  if (!recorded[0]) throw refuse('client assertion was already used');
  return { operatorId, licenseIds: admitted.map((l) => l.id) };
}
