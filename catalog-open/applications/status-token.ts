// The applicant's status token: shown once, stored only as its SHA-256, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: the bearer secret of one application. */
export function newStatusToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Storage format of `applications.status_token_hash`: lower-case hex SHA-256 of the token's UTF-8 bytes. */
export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A hash every missing application is compared against, so a miss costs the same as a wrong token. */
const NO_HASH = hashStatusToken('');

/**
 * Whether `token` is the one whose hash is `storedHash`. Hashes are compared, never tokens, and in constant time,
 * so neither timing nor length tells an attacker how close a guess was.
 */
export function statusTokenMatches(storedHash: string | undefined, token: string | undefined): boolean {
  const expected = Buffer.from(storedHash ?? NO_HASH, 'utf8');
  const actual = Buffer.from(hashStatusToken(token ?? ''), 'utf8');
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return same && storedHash !== undefined && token !== undefined && token.length > 0;
}
