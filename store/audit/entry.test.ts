import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../crypto/index.ts';
import { auditEntryHash, chainEntries, normalizeAuditEvent } from './entry.ts';
import { GENESIS_HASH } from './types.ts';

// The storage format outside verifiers rely on (docs/audit.md). The expected hash was also computed with
// `printf '%s' '<canonical text>' | openssl dgst -sm3`, independently of this code.
const EXAMPLE = {
  seq: 1,
  at: '2026-01-01T00:00:00.000Z',
  actor: { type: 'staff', id: 'security' },
  action: 'auth.token.issued',
  resource: null,
  outcome: 'ok',
  ip: '127.0.0.1',
  requestId: 'req-1',
  details: { role: 'security' },
  prevHash: GENESIS_HASH,
} as const;

describe('the entry hash', () => {
  it('is SM3 over the canonical JSON of the entry without its hash (known answer)', () => {
    expect(canonicalJson(EXAMPLE)).toBe(
      '{"action":"auth.token.issued","actor":{"id":"security","type":"staff"},"at":"2026-01-01T00:00:00.000Z",' +
        '"details":{"role":"security"},"ip":"127.0.0.1","outcome":"ok",' +
        '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","requestId":"req-1",' +
        '"resource":null,"seq":1}',
    );
    expect(auditEntryHash(EXAMPLE)).toBe('1f449da7750a101eb3c57fe7fa470397999614ac434fff1e8f93ded1526b4258');
  });

  it('changes with every member', () => {
    const base = auditEntryHash(EXAMPLE);
    for (const changed of [
      { seq: 2 },
      { at: '2026-01-01T00:00:00.001Z' },
      { actor: { type: 'staff' as const, id: 'steward' } },
      { actor: { type: 'operator' as const, id: 'security' } },
      { action: 'auth.token.refused' },
      { resource: '' },
      { outcome: 'deny' as const },
      { ip: null },
      { requestId: 'req-2' },
      { details: {} },
      { prevHash: '1'.repeat(64) },
    ]) {
      expect(auditEntryHash({ ...EXAMPLE, ...changed })).not.toBe(base);
    }
  });

  it('chains a batch after the head, keeping time monotonic', () => {
    const events = [1, 2, 3].map((i) => normalizeAuditEvent({ actor: { type: 'system', id: null }, action: 'job.started', outcome: 'ok', details: { i } }));
    const later = new Date('2026-06-01T00:00:00.000Z');
    const entries = chainEntries({ seq: 41, hash: 'a'.repeat(64), at: later }, events, new Date('2026-05-01T00:00:00.000Z'));
    expect(entries.map((e) => e.seq)).toEqual([42, 43, 44]);
    expect(entries.map((e) => e.at)).toEqual(Array(3).fill(later.toISOString()));
    expect(entries[0]!.prevHash).toBe('a'.repeat(64));
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
  });
});
