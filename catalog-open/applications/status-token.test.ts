import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashStatusToken, newStatusToken, statusTokenMatches } from './status-token.ts';

describe('status tokens', () => {
  it('are 32 random bytes in base64url, stored as their SHA-256 in hex', () => {
    const token = newStatusToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(newStatusToken());
    expect(hashStatusToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('match only the token they were made from', () => {
    const token = newStatusToken();
    const stored = hashStatusToken(token);
    expect(statusTokenMatches(stored, token)).toBe(true);
    expect(statusTokenMatches(stored, newStatusToken())).toBe(false);
    expect(statusTokenMatches(stored, undefined)).toBe(false);
    expect(statusTokenMatches(stored, '')).toBe(false);
    expect(statusTokenMatches(undefined, token)).toBe(false);
    // no stored hash and an empty token must not "match" the placeholder hash of ''
    expect(statusTokenMatches(undefined, '')).toBe(false);
    expect(statusTokenMatches(hashStatusToken(''), '')).toBe(false);
  });
});
