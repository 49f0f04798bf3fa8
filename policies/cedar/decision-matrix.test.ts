// Pins the decision matrix (matrix.ts): who may do what, and which policies decide it. A policy change that moves a
// decision fails here (docs/authorization.md, "changing a policy").
import { describe, expect, it } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import { NOW } from './fixtures.ts';
import { MATRIX } from './matrix.ts';
import { AUTHORIZATION_ACTIONS } from './types.ts';

describe('decision matrix', () => {
  const authorizer = createAuthorizer({ now: () => NOW });

  it.each(MATRIX.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const answer = authorizer.authorize(c.request);
    expect(answer).toEqual({ decision: c.decision, policyIds: [...c.policies].sort(), errors: [] });
  });

  it('the re-parsing baseline agrees on every case', () => {
    for (const c of MATRIX) expect(authorizer.authorizeReparsing(c.request), c.name).toEqual(authorizer.authorize(c.request));
  });

  it('covers every action', () => {
    const covered = new Set(MATRIX.map((c) => c.request.action));
    expect(AUTHORIZATION_ACTIONS.filter((a) => !covered.has(a))).toEqual([]);
  });

  it('names every policy as determining at least once', () => {
    const named = new Set(MATRIX.flatMap((c) => c.policies));
    expect(Object.keys(authorizer.policies).filter((id) => !named.has(id))).toEqual([]);
  });

  it('has an allow and a deny for every action', () => {
    for (const action of AUTHORIZATION_ACTIONS) {
      const decisions = new Set(MATRIX.filter((c) => c.request.action === action).map((c) => c.decision));
      expect([...decisions].sort(), action).toEqual(['allow', 'deny']);
    }
  });
});
