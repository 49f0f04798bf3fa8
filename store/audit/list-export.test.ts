import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { auditEntryHash } from './entry.ts';
import { AUDIT_CSV_COLUMNS, exportAudit } from './export-audit.ts';
import { listAudit } from './list-audit.ts';
import { auditQuerySchema } from './schemas.ts';
import { appendSamples, sampleEvent } from './testing.ts';
import { AuditLog } from './audit-log.ts';
import type { AuditEntry } from './types.ts';

let t: TestDatabase;
let entries: AuditEntry[];
beforeAll(async () => {
  t = await createTestDatabase();
  entries = await appendSamples(t.database, 60);
  const log = new AuditLog(t.database);
  entries.push(
    await log.append(sampleEvent(61, { actor: { type: 'public', id: '=HYPERLINK("http://x")' }, resource: 'a,"b"\nc' })),
  );
  await log.close();
});
afterAll(async () => {
  await t?.drop();
});

const collect = async (chunks: AsyncIterable<string>) => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};

describe('listAudit', () => {
  it('pages newest first with a cursor until every entry was seen once', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAudit(t.database.db, {}, { limit: 25, cursor });
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(entries.map((e) => e.seq).reverse());
  });

  it('filters by actor, action, resource (exact or prefix), outcome and time', async () => {
    const db = t.database.db;
    const check = async (filters: Parameters<typeof listAudit>[1], expected: AuditEntry[]) => {
      const { items } = await listAudit(db, filters, { limit: 100 });
      expect(items.map((e) => e.seq)).toEqual(expected.map((e) => e.seq).reverse());
    };
    await check({ actor: 'staff-2' }, entries.filter((e) => e.actor.id === 'staff-2'));
    await check({ actorType: 'system' }, entries.filter((e) => e.actor.type === 'system'));
    await check({ action: 'dataset.load' }, entries.filter((e) => e.action === 'dataset.load'));
    await check({ action: 'dataset.*' }, entries.filter((e) => e.action.startsWith('dataset.')));
    await check({ resource: 'dataset:ds_1' }, entries.filter((e) => e.resource === 'dataset:ds_1'));
    await check({ resource: 'GET /steward/datasets/1*' }, entries.filter((e) => e.resource?.startsWith('GET /steward/datasets/1')));
    // a prefix is literal: % and _ match only themselves
    await check({ resource: 'dataset:ds%*' }, []);
    await check({ outcome: 'deny', action: 'http.request' }, entries.filter((e) => e.outcome === 'deny' && e.action === 'http.request'));
    const at = new Date(entries[30]!.at);
    await check({ from: at }, entries.filter((e) => new Date(e.at) >= at));
    await check({ to: at }, entries.filter((e) => new Date(e.at) < at));
  });

  it('refuses a malformed cursor with BAD_REQUEST', async () => {
    for (const cursor of ['abc', '-1', '0', '1e3', '99999999999999999999']) {
      await expect(listAudit(t.database.db, {}, { limit: 5, cursor })).rejects.toThrow(AppError);
    }
  });

  it('parses staff query strings', () => {
    expect(auditQuerySchema.parse({ outcome: 'deny', from: '2026-01-01T00:00:00+08:00', limit: '20', cursor: '41' })).toEqual({
      outcome: 'deny',
      from: new Date('2025-12-31T16:00:00Z'),
      limit: 20,
      cursor: '41',
      format: 'jsonl',
    });
    expect(auditQuerySchema.safeParse({ outcome: 'maybe' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});

describe('exportAudit', () => {
  it('streams JSON Lines oldest first, exactly the entries, each re-hashable offline', async () => {
    const text = await collect(exportAudit(t.database.db, {}, 'jsonl'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines).toEqual(entries);
    for (const e of lines) expect(auditEntryHash(e)).toBe(e.hash);
    expect(Object.keys(lines[0]!)).toEqual(['seq', 'at', 'actor', 'action', 'resource', 'outcome', 'ip', 'requestId', 'details', 'prevHash', 'hash']);
  });

  it('streams CSV with a header, quoting and defusing formulas', async () => {
    const text = await collect(exportAudit(t.database.db, { actorType: 'public' }, 'csv'));
    const [header, row, end] = text.split('\r\n');
    expect(header).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(row).toContain(`,public,"'=HYPERLINK(""http://x"")",dataset.load,`);
    expect(text).toContain(`"a,""b""\nc"`);
    expect(end).toBe('');
  });

  it('yields in chunks, with the filters applied', async () => {
    const chunks: string[] = [];
    for await (const chunk of exportAudit(t.database.db, { outcome: 'deny' }, 'jsonl')) chunks.push(chunk);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(entries.filter((e) => e.outcome === 'deny').length);
  });
});
