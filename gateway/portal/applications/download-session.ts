// The portal's download session for an approved applicant: after the applicant proves the status token (the lookup
// form, a POST body), the browser gets a short-lived cookie bound to that one application, and the status page's
// download links work with it. The token itself never travels in a URL, and the links carry no secret: without the
// cookie (another browser, another site's link, after 15 minutes) they answer 401.
//
// The cookie is a JWT signed with the gateway's own key (ES256), of a type no other verifier accepts (the access
// token verifier pins typ at+jwt and the issuer's audience), scoped to /portal/applications, HttpOnly, SameSite=Strict.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { AppError } from '../../../errors/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { ACCESS_TOKEN_ALG } from '../../identity/signing-keys.ts';
import { servicesOf } from '../../middleware/authenticate.ts';

export const DOWNLOAD_COOKIE = 'portal_download';
export const DOWNLOAD_SESSION_SECONDS = 15 * 60;
const TYP = 'portal-download+jwt';
const PATH = '/portal/applications';
const audienceOf = (deps: GatewayDeps) => `${deps.config.publicUrl}${PATH}`;

/** Starts (or replaces) the browser's download session for one application. */
export async function startDownloadSession(c: Context, deps: GatewayDeps, applicationId: string): Promise<void> {
  const { kid, key } = await servicesOf(deps).keys.signingKey();
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: TYP })
    .setIssuer(deps.config.publicUrl)
    .setAudience(audienceOf(deps))
    .setSubject(applicationId)
    .setIssuedAt()
    .setExpirationTime(`${DOWNLOAD_SESSION_SECONDS}s`)
    .sign(key);
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, DOWNLOAD_COOKIE, token, { path: PATH, httpOnly: true, sameSite: 'Strict', secure, maxAge: DOWNLOAD_SESSION_SECONDS });
}

/**
 * The application this browser may download for: the session must be valid and name exactly `applicationId`.
 * Throws UNAUTHENTICATED (reason download-session) otherwise; never says which part failed.
 */
export async function downloadSessionFor(c: Context, deps: GatewayDeps, applicationId: string): Promise<string> {
  const refused = new AppError('UNAUTHENTICATED', 'no download session for this application', { details: { reason: 'download-session' } });
  const token = getCookie(c, DOWNLOAD_COOKIE);
  if (!token || token.length > 4096) throw refused;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== ACCESS_TOKEN_ALG || typeof header.kid !== 'string' || header.typ !== TYP) throw refused;
    const key = await servicesOf(deps).keys.verificationKey(header.kid);
    if (!key) throw refused;
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ACCESS_TOKEN_ALG],
      typ: TYP,
      issuer: deps.config.publicUrl,
      audience: audienceOf(deps),
      requiredClaims: ['sub', 'exp', 'iat'],
      maxTokenAge: `${DOWNLOAD_SESSION_SECONDS}s`,
    });
    if (payload.sub !== applicationId) throw refused;
    return applicationId;
  } catch {
    throw refused;
  }
}

export function endDownloadSession(c: Context): void {
  deleteCookie(c, DOWNLOAD_COOKIE, { path: PATH });
}
